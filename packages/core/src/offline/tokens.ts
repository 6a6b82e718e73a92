/** Common English words that never make a rule or a match. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between ' +
    'both but by can could did do does doing down during each few for from further had has have having he her ' +
    'here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not ' +
    'now of off on once only or other our ours ourselves out over own same she should so some such than that ' +
    'the their theirs them themselves then there these they this those through to too under until up very was ' +
    'we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    "i'm i've don't can't won't it's also get got please would like want need one still yet"
  ).split(' '),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}']*/gu;

/** Lower-cased words of `text` (letters and digits, inner apostrophes kept). */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Words worth comparing: not stopwords, at least two characters. */
export function contentWords(text: string): string[] {
  return words(text).filter((w) => w.length >= 2 && !STOPWORDS.has(w));
}

/** True when `text` contains `phrase` as whole words, ignoring case. */
export function mentions(text: string, phrase: string): boolean {
  const hay = ` ${words(text).join(' ')} `;
  const needle = words(phrase).join(' ');
  return needle.length > 0 && hay.includes(` ${needle} `);
}

/** A small deterministic string hash (FNV-1a, 32 bits). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
