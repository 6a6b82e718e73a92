/**
 * Evaluates an arithmetic expression of numbers, `+ - * /`, unary minus and parentheses
 * (recursive descent; no `eval`). Throws on anything else.
 */
export function calculate(expression: string): number {
  const tokens = expression.replace(/,/g, '').match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];

  function primary(): number {
    const t = next();
    if (t === '(') {
      const v = sum();
      if (next() !== ')') throw new Error(`missing ')' in ${expression}`);
      return v;
    }
    if (t === '-') return -primary();
    if (t !== undefined && /^\d/.test(t)) return Number(t);
    throw new Error(`unexpected '${t ?? 'end'}' in ${expression}`);
  }
  function product(): number {
    let v = primary();
    while (peek() === '*' || peek() === '/') v = next() === '*' ? v * primary() : v / primary();
    return v;
  }
  function sum(): number {
    let v = product();
    while (peek() === '+' || peek() === '-') v = next() === '+' ? v + product() : v - product();
    return v;
  }

  const value = sum();
  if (pos !== tokens.length) throw new Error(`unexpected '${peek()}' in ${expression}`);
  return value;
}
