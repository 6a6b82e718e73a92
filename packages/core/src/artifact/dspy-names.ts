/** `generate_answer` → `generateAnswer`. */
export function snakeToCamel(name: string): string {
  return name.replace(/_+([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** `generateAnswer` → `generate_answer`. */
export function camelToSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Case- and underscore-insensitive form of a name, for loose matching. */
export function looseName(name: string): string {
  return name.toLowerCase().replace(/[_\s-]/g, '');
}

/** A DSPy parameter path (`generate_answer.predict`, `hops[0]`) in dspy-ts form (`generateAnswer.predict`, `hops.0`). */
export function dspyPathToTs(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\['([^']+)'\]/g, '.$1')
    .split('.')
    .map(snakeToCamel)
    .join('.');
}

/** DSPy's default prefix of a field (`generate_answer` → `Generate Answer:`). */
export function dspyDefaultPrefix(name: string): string {
  const words = camelToSnake(name)
    .replace(/([a-zA-Z])(\d)/g, '$1_$2')
    .replace(/(\d)([a-zA-Z])/g, '$1_$2')
    .split('_')
    .filter(Boolean);
  return `${words.map((w) => (w.toUpperCase() === w ? w : w[0]?.toUpperCase() + w.slice(1))).join(' ')}:`;
}

/** The field name a DSPy field entry stands for: from a `${name}` description, else its prefix. */
export function dspyFieldHint(field: { prefix?: unknown; description?: unknown }): string | undefined {
  const desc = typeof field.description === 'string' ? /^\$\{(\w+)\}$/.exec(field.description.trim()) : null;
  if (desc?.[1]) return desc[1];
  if (typeof field.prefix === 'string' && field.prefix.trim() !== '') {
    return field.prefix.trim().replace(/:$/, '').trim().replace(/\s+/g, '_');
  }
  return undefined;
}

/** True for DSPy's placeholder description (`${question}`), which means "no description". */
export function isPlaceholderDescription(description: string): boolean {
  return /^\$\{\w+\}$/.test(description.trim());
}

/** True for the instructions DSPy writes for a signature nobody documented. */
export function isDefaultDspyInstructions(text: string): boolean {
  return /^Given the fields .+, produce the fields .+\.$/s.test(text.trim());
}
