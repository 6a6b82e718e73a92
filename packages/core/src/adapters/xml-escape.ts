/** What a value's text becomes inside an XML element: `&`, `<` and `>` as entities. */
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g;

/**
 * A value's text as it goes inside an `<name>…</name>` element: `&` as `&amp;`, `<` as `&lt;`
 * and `>` as `&gt;`, so that no value can open or close an element (`</answer>` inside an
 * answer included). {@link unescapeXml} gives the text back exactly.
 *
 * @example
 * ```ts
 * escapeXml('a < b && c'); // 'a &lt; b &amp;&amp; c'
 * ```
 */
export function escapeXml(text: string): string {
  return /[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c) : text;
}

/**
 * The text of an element's content: the five named entities and numeric character references
 * read back, in one pass (so `&amp;lt;` is `&lt;`). Text a model wrote without escaping (a bare
 * `<` or `&`) is kept as it is.
 */
export function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (whole, name: string) => {
    if (name[0] !== '#') return NAMED[name] ?? whole;
    const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}
