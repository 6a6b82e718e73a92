/** `[[ ## name ## ]]` at the start of a trimmed line; group 1 is the name. */
export const MARKER_RE = /^\[\[\s*##\s*(\w+)\s*##\s*\]\]/;

/**
 * Splits a chat-format completion into its sections. A line whose trimmed text starts with
 * a marker opens that section, and the rest of the line belongs to it. Text before the first
 * marker, names not in `wanted`, `completed`, and repeats of a section are ignored. Values
 * are trimmed.
 *
 * A marker of one of the `inputs` means the model is echoing an input: that section is never
 * an output, and an output section opened after it is provisional, so a later section of the
 * same name replaces it (the echoed text of an input cannot override the model's answer).
 */
export function readSections(
  text: string,
  wanted: ReadonlyMap<string, unknown>,
  inputs?: ReadonlySet<string>,
): Map<string, string> {
  const sections = new Map<string, string>();
  const provisional = new Set<string>();
  let echoed = false;
  let current: string | undefined;
  let parts: string[] = [];
  const close = () => {
    if (current !== undefined) sections.set(current, parts.join('\n').trim());
    current = undefined;
  };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    const trimmed = line.includes('[[') ? line.trimStart() : '';
    const m = trimmed.startsWith('[[') ? MARKER_RE.exec(trimmed) : null;
    if (m) {
      close();
      const name = m[1] ?? '';
      if (inputs?.has(name)) echoed = true;
      else if (wanted.has(name) && (!sections.has(name) || provisional.has(name))) {
        current = name;
        parts = [trimmed.slice(m[0].length)];
        if (echoed) provisional.add(name);
        else provisional.delete(name);
      }
    } else if (current !== undefined) parts.push(line);
  }
  close();
  return sections;
}
