/**
 * True for OpenAI reasoning models (o1, o3, o4 series and gpt-5, except the gpt-5 chat
 * variants): they take `max_completion_tokens` and only the default temperature.
 *
 * @example
 * ```ts
 * isReasoningModel('o3-mini'); // true
 * ```
 */
export function isReasoningModel(apiModel: string): boolean {
  const name = (apiModel.split('/').at(-1) ?? apiModel).toLowerCase();
  if (/^o[134](-|$)/.test(name)) return true;
  return /^gpt-5/.test(name) && !/chat/.test(name);
}
