/**
 * The names dspy-ts shows a model for an MCP server's tools. A tool name is letters, digits,
 * `_`, `.` and `-`, starting with a letter or `_` (the rule of core's `tool()`); MCP allows more
 * (`/`, spaces, a leading digit), so such names are rewritten, and the original is kept for the call.
 */

/** Characters a tool name may not hold. */
const NOT_ALLOWED = /[^A-Za-z0-9_.-]/g;

/**
 * `prefix + name` as a valid tool name: every other character becomes `_`, and a name that does
 * not start with a letter or `_` gets a leading `_`.
 */
export function toolNameFor(name: string, prefix: string): string {
  const cleaned = `${prefix}${name}`.replace(NOT_ALLOWED, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * Makes `name` unique among `taken` (adds `_2`, `_3`, ...) and records it. Two MCP names may
 * rewrite to the same tool name (`a b` and `a_b`); each keeps a name of its own.
 */
export function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}_${n}`;
  taken.add(unique);
  return unique;
}
