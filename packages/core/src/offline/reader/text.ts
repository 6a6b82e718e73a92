import { STOPWORDS } from '../tokens.js';

/** A word of a text with its place (letters and digits, joined by `'.,-/` inside: `1,000`, `U.S`, `Jean-Luc`). */
export interface Token {
  /** The word as written. */
  readonly text: string;
  /** Lower-cased. */
  readonly lower: string;
  /** Lower-cased, possessive and plural endings removed (`Normans'` → `norman`). */
  readonly stem: string;
  readonly start: number;
  readonly end: number;
}

/** One sentence of a passage: its text and its words (offsets into `text`). */
export interface Sentence {
  /** Position of its passage in the context (0 = first, as the retriever ranked it). */
  readonly passage: number;
  readonly text: string;
  readonly tokens: readonly Token[];
}

const TOKEN = /[\p{L}\p{N}]+(?:['’.,\-/][\p{L}\p{N}]+)*/gu;

/** A word's stem: lower-cased, `'s` and a plural `s` / `ies` removed. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/['’]s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  return w;
}

/** The words of `text` with their offsets. */
export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => ({
    text: m[0],
    lower: m[0].toLowerCase(),
    stem: stem(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** True for a word that carries meaning in a question (not a stopword, not a question word). */
export function isContent(token: Token): boolean {
  return token.lower.length >= 2 && !STOPWORDS.has(token.lower) && !QUESTION_WORDS.has(token.lower);
}

/** Words that ask rather than name. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  'who whom whose what which when where why how name'.split(' '),
);

/** A `[1] «text»` or `Title | text` decoration of a passage removed. */
function undecorate(passage: string): string {
  return passage
    .trim()
    .replace(/^\[\d+\]\s*/, '')
    .replace(/^«([\s\S]*)»$/, '$1')
    .trim();
}

/**
 * The passages of a context field's text: a JSON array (a `string[]` input; non-string items
 * give their `text` / `long_text` / `content` property, else their JSON), else numbered
 * `[1] «...»` blocks or paragraphs separated by blank lines, else the whole text.
 */
export function passagesOf(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(itemText).filter((p) => p.length > 0);
    } catch {
      // Not JSON: read it as text below.
    }
  }
  const numbered = trimmed.split(/\n(?=\[\d+\]\s)/);
  const blocks = numbered.length > 1 ? numbered : trimmed.split(/\n\s*\n/);
  return blocks.map(undecorate).filter((p) => p.length > 0);
}

function itemText(item: unknown): string {
  if (typeof item === 'string') return undecorate(item);
  if (typeof item === 'object' && item !== null) {
    const rec = item as Record<string, unknown>;
    for (const key of ['text', 'long_text', 'content', 'passage']) {
      const v = rec[key];
      if (typeof v === 'string') return undecorate(v);
    }
  }
  return JSON.stringify(item) ?? '';
}

/** Sentence ends: `.`, `!` or `?` (optionally closed by a quote or bracket) before a space and a capital, digit or opening quote. */
const SENTENCE_END = /(?<=[.!?]["'”’)\]]?)\s+(?=["'“‘([]?[\p{Lu}\p{N}])/u;

/** The sentences of the passages, in order, each with its words. */
export function sentencesOf(passages: readonly string[]): Sentence[] {
  const out: Sentence[] = [];
  passages.forEach((p, passage) => {
    for (const part of p.split(SENTENCE_END)) {
      const text = part.trim();
      const tokens = tokenize(text);
      if (tokens.length > 0) out.push({ passage, text, tokens });
    }
  });
  return out;
}

/** Inverse document frequency of each stem over `docs` (sentences): `ln(1 + N / df)`. */
export function idfOf(docs: readonly (readonly Token[])[]): (stem: string) => number {
  const df = new Map<string, number>();
  for (const doc of docs) for (const s of new Set(doc.map((t) => t.stem))) df.set(s, (df.get(s) ?? 0) + 1);
  const n = docs.length;
  return (s) => Math.log(1 + n / Math.max(df.get(s) ?? 0, 0.5));
}

/** What a question asks for, from its question word. */
export type QuestionClass =
  | 'who'
  | 'when'
  | 'where'
  | 'how-many'
  | 'how-much'
  | 'how-measure'
  | 'how'
  | 'why'
  | 'which'
  | 'what'
  | 'yes-no'
  | 'other';

/**
 * The class of a question: `what year` / `which century` / `when` → `when`, `how many`,
 * `how much`, `how long/old/far/...`, then the first of who/whom/whose, when, where, why, how,
 * which, what; a question opening with an auxiliary (`Is`, `Did`, `Can` ...) → `yes-no`.
 */
export function questionClass(question: string): QuestionClass {
  const q = question.toLowerCase();
  if (/\b(what|which|in what|what)\s+(year|years|decade|century|date|month|day|period|era)\b/.test(q))
    return 'when';
  if (/\bhow many\b/.test(q)) return 'how-many';
  if (/\bhow much\b/.test(q)) return 'how-much';
  if (/\bhow (long|old|far|large|big|tall|high|wide|deep|fast|often)\b/.test(q)) return 'how-measure';
  const first = /\b(who|whom|whose|when|where|why|how|which|what)\b/.exec(q)?.[1];
  if (first === 'whom' || first === 'whose' || first === 'who') return 'who';
  if (first) return first as QuestionClass;
  if (/^\s*(is|are|was|were|do|does|did|can|could|has|have|had|will|would|should|may|might)\b/.test(q)) {
    return 'yes-no';
  }
  return 'other';
}
