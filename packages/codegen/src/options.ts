import { ts } from 'ts-morph';

/** What reading decorator options needs: the checker (for constants) and a diagnostic sink. */
export interface OptionReader {
  readonly checker: ts.TypeChecker;
  readonly report: (node: ts.Node, symbol: string, message: string) => void;
}

/** The properties of a decorator's object-literal argument (`@InputField({ desc: '...' })`). */
export function decoratorOptions(
  decorator: ts.Decorator,
  reader: OptionReader,
  who: string,
): Record<string, ts.Expression> {
  const call = decorator.expression;
  if (!ts.isCallExpression(call)) return {};
  const [arg] = call.arguments;
  if (!arg) return {};
  if (!ts.isObjectLiteralExpression(arg)) {
    reader.report(arg, who, 'options must be an object literal so the build step can read them');
    return {};
  }
  const out: Record<string, ts.Expression> = {};
  for (const p of arg.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      out[p.name.text] = p.initializer;
    } else if (ts.isShorthandPropertyAssignment(p)) {
      out[p.name.text] = p.name;
    }
  }
  return out;
}

/**
 * The value of a constant string expression: a literal, a template without substitutions, a
 * `+` concatenation of those, or a `const` holding one (also across imports). Reports and
 * returns undefined for anything else; returns undefined silently when `expr` is undefined.
 */
export function constantString(
  expr: ts.Expression | undefined,
  reader: OptionReader,
  symbol: string,
): string | undefined {
  if (!expr) return undefined;
  const value = evaluate(expr, reader.checker, 0);
  if (value === undefined) {
    reader.report(
      expr,
      symbol,
      'this option must be a constant string (a literal or a const) for the build step',
    );
  }
  return value;
}

function evaluate(expr: ts.Expression, checker: ts.TypeChecker, depth: number): string | undefined {
  if (depth > 8) return undefined;
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr)) {
    return evaluate(expr.expression, checker, depth + 1);
  }
  if (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = evaluate(expr.left, checker, depth + 1);
    const right = evaluate(expr.right, checker, depth + 1);
    return left !== undefined && right !== undefined ? left + right : undefined;
  }
  if (ts.isTemplateExpression(expr)) {
    let text = expr.head.text;
    for (const span of expr.templateSpans) {
      const part = evaluate(span.expression, checker, depth + 1);
      if (part === undefined) return undefined;
      text += part + span.literal.text;
    }
    return text;
  }
  if (ts.isIdentifier(expr)) {
    let symbol = checker.getSymbolAtLocation(expr);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (
      decl &&
      ts.isVariableDeclaration(decl) &&
      decl.initializer &&
      ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const
    ) {
      return evaluate(decl.initializer, checker, depth + 1);
    }
  }
  return undefined;
}
