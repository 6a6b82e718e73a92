import { mentions } from './tokens.js';

/** One instruction rule: when `input` mentions `token`, answer `value` (for `output`, else the main output). */
export interface Rule {
  /** An input field name, or `text` / `input` meaning any input. */
  readonly input: string;
  readonly token: string;
  readonly value: string;
  /** The output field set by the rule; absent means the main output. */
  readonly output?: string;
}

const RULE =
  /^(?:[-*]\s*|\d+[.)]\s*)?if the ([\w$]+) mentions "([^"]+)",\s*(?:answer|set ([\w$]+) to) "([^"]*)"\.?\s*$/i;

/** Reads rules from instruction lines; other lines are ignored. Order is kept (first match wins). */
export function parseRules(lines: readonly string[]): Rule[] {
  const rules: Rule[] = [];
  for (const line of lines) {
    const m = RULE.exec(line.trim());
    if (!m) continue;
    const rule: Rule = { input: m[1]!, token: m[2]!, value: m[4]! };
    rules.push(m[3] ? { ...rule, output: m[3] } : rule);
  }
  return rules;
}

/** True when a line is a rule. */
export function isRuleLine(line: string): boolean {
  return RULE.test(line.trim());
}

/** Writes a rule in the documented form. */
export function formatRule(rule: Rule): string {
  const then = rule.output ? `set ${rule.output} to "${rule.value}"` : `answer "${rule.value}"`;
  return `If the ${rule.input} mentions "${rule.token}", ${then}.`;
}

/**
 * The first rule matching the inputs: a rule naming an input field looks at that field only;
 * `text` or `input` (when no field has that name) looks at every input.
 */
export function firstMatch(
  rules: readonly Rule[],
  inputs: Readonly<Record<string, string>>,
  output: string,
  mainOutput: string | undefined,
): Rule | undefined {
  const all = Object.values(inputs).join('\n');
  return rules.find((r) => {
    if ((r.output ?? mainOutput) !== output) return false;
    const text =
      r.input in inputs ? inputs[r.input]! : /^(text|input|inputs)$/i.test(r.input) ? all : undefined;
    return text !== undefined && mentions(text, r.token);
  });
}
