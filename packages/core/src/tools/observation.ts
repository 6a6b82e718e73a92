/** A tool's result as the model reads it: strings as they are, anything else as JSON. */
export function observationText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '(no result)';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The first line of an error's message, without the `How to fix:` part. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n  How to fix:')[0] ?? msg;
}
