import { STOPWORDS } from '../tokens.js';
import { idfOf, isContent, type Sentence, type Token } from './text.js';

/** A candidate answer: a run of words of one sentence. */
export interface Span {
  readonly sentence: Sentence;
  /** Index of its first word in the sentence's tokens. */
  readonly from: number;
  /** Index after its last word. */
  readonly to: number;
}

/** The features a span is judged by, each a short label (`type: year`, `left: in`, ...). */
export type SpanFeatures = Readonly<Record<string, string>>;

/** The features that need the span's place in a context; the others come from the answer alone. */
export const PLACE_FEATURES: readonly string[] = ['cut', 'left', 'right', 'distance', 'rank', 'passage'];

const MONTH =
  /^(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)$/;
const YEAR = /^(1\d{3}|20\d{2})s?$/;
const NUMBER_WORDS: ReadonlySet<string> = new Set(
  (
    'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen ' +
    'seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds ' +
    'thousand thousands million millions billion billions trillion dozen half once twice first second ' +
    'third fourth fifth sixth seventh eighth ninth tenth'
  ).split(' '),
);
/** Small words that may sit inside a name (`Duke of Normandy`, `Leonardo da Vinci`). */
const NAME_JOINERS: ReadonlySet<string> = new Set([
  'of',
  'the',
  'de',
  'da',
  'di',
  'van',
  'von',
  'la',
  'le',
  'and',
  'du',
  'del',
]);
const capital = (t: Token) => /^\p{Lu}/u.test(t.text);

/** The kind of value a run of words is: date, year, number, name, yes-no, mixed (some capitals) or phrase. */
export function spanType(tokens: readonly Token[]): string {
  if (tokens.length === 1 && /^(yes|no)$/.test(tokens[0]!.lower)) return 'yes-no';
  const digits = tokens.some((t) => /\p{N}/u.test(t.text));
  if (digits && tokens.some((t) => MONTH.test(t.lower))) return 'date';
  if (tokens.length <= 2 && tokens.some((t) => YEAR.test(t.lower))) return 'year';
  if (digits || tokens.some((t) => NUMBER_WORDS.has(t.lower))) return 'number';
  if (capital(tokens[0]!) && tokens.every((t) => capital(t) || NAME_JOINERS.has(t.lower))) return 'name';
  if (tokens.some(capital)) return 'mixed';
  return 'phrase';
}

/** Words in a span, bucketed: 1, 2, 3, 4, 5-6, 7+. */
export function lengthBucket(n: number): string {
  if (n <= 4) return String(n);
  return n <= 6 ? '5-6' : '7+';
}

/** Scores of sentences by the rare question words they share (IDF-weighted, each stem counted once). */
export interface SentenceRanking {
  /** The sentences, best first. */
  readonly order: readonly Sentence[];
  readonly scores: ReadonlyMap<Sentence, number>;
  readonly ranks: ReadonlyMap<Sentence, number>;
  /** The question's content stems. */
  readonly questionStems: ReadonlySet<string>;
}

/**
 * Ranks sentences by the summed IDF (over these sentences) of the question's content stems
 * each contains; ties go to the earlier passage, then the earlier sentence.
 */
export function rankSentences(
  sentences: readonly Sentence[],
  questionTokens: readonly Token[],
): SentenceRanking {
  const idf = idfOf(sentences.map((s) => s.tokens));
  const questionStems = new Set(questionTokens.filter(isContent).map((t) => t.stem));
  const scores = new Map<Sentence, number>();
  for (const s of sentences) {
    let score = 0;
    for (const st of new Set(s.tokens.map((t) => t.stem))) if (questionStems.has(st)) score += idf(st);
    scores.set(s, score);
  }
  const order = sentences
    .map((s, i) => ({ s, i }))
    .sort((a, b) => scores.get(b.s)! - scores.get(a.s)! || a.i - b.i)
    .map((x) => x.s);
  const ranks = new Map(order.map((s, i) => [s, i] as const));
  return { order, scores, ranks, questionStems };
}

const ARTICLES: ReadonlySet<string> = new Set(['a', 'an', 'the']);
const PREPOSITIONS: ReadonlySet<string> = new Set(
  'in on at by of for from to with as into during after before since until about between under over than'.split(
    ' ',
  ),
);
const VERBS: ReadonlySet<string> = new Set('is are was were be been being has have had'.split(' '));

/** A neighbouring word as a label: `article`, `prep`, `be`, `stop` (another stopword), `and`, `Cap` (capitalised) or `word`. */
function wordLabel(token: Token): string {
  if (ARTICLES.has(token.lower)) return 'article';
  if (token.lower === 'and' || token.lower === 'or') return 'and';
  if (PREPOSITIONS.has(token.lower)) return 'prep';
  if (VERBS.has(token.lower)) return 'be';
  if (STOPWORDS.has(token.lower)) return 'stop';
  return /^\p{Lu}/u.test(token.text) ? 'Cap' : /\p{N}/u.test(token.text) ? 'num' : 'word';
}

/** The punctuation between two places of a sentence, as a label (`,`, `(`, `"` ...), if any. */
function punctuation(text: string): string | undefined {
  const mark = /[,.)(:;"“”!?–—-]/.exec(text)?.[0];
  if (mark === undefined) return undefined;
  return mark === '“' || mark === '”' ? '"' : mark === '—' || mark === '–' ? '-' : mark;
}

/** What comes before the span: punctuation, `^` at the sentence start, else the word's label. */
function leftLabel(span: Span): string {
  const { sentence, from } = span;
  const prev = sentence.tokens[from - 1];
  if (!prev) return '^';
  return punctuation(sentence.text.slice(prev.end, sentence.tokens[from]!.start)) ?? wordLabel(prev);
}

/** What follows the span: punctuation, `$` at the sentence end, else the word's label. */
function rightLabel(span: Span): string {
  const { sentence, to } = span;
  const last = sentence.tokens[to - 1]!;
  const next = sentence.tokens[to];
  const mark = punctuation(sentence.text.slice(last.end, next ? next.start : sentence.text.length));
  if (mark) return mark;
  return next ? wordLabel(next) : '$';
}

/**
 * Whether the span cuts a run of capitalised words or of numbers (`Yo` of `Yo Yo Ma`): `cut`
 * when a neighbour joined to it without punctuation has the same shape as its edge word.
 */
function cutLabel(span: Span): string {
  const { sentence, from, to } = span;
  const t = sentence.tokens;
  const shape = (x: Token) => (/^\p{Lu}/u.test(x.text) ? 'A' : /^\p{N}/u.test(x.text) ? '9' : 'a');
  const prev = t[from - 1];
  const next = t[to];
  const joined = (a: Token, b: Token) => /^\s*$/.test(sentence.text.slice(a.end, b.start));
  const leftCut =
    prev !== undefined &&
    from - 1 > 0 &&
    joined(prev, t[from]!) &&
    shape(prev) !== 'a' &&
    shape(prev) === shape(t[from]!);
  const rightCut =
    next !== undefined &&
    joined(t[to - 1]!, next) &&
    shape(next) !== 'a' &&
    shape(next) === shape(t[to - 1]!);
  return leftCut || rightCut ? 'cut' : 'whole';
}

/** How far the span is from the nearest question word in its sentence, and on which side: `after:1`, `before:4-7`, `none`. */
function distanceLabel(span: Span, questionStems: ReadonlySet<string>): string {
  const { sentence, from, to } = span;
  let best: { d: number; side: string } | undefined;
  sentence.tokens.forEach((t, i) => {
    if (i >= from && i < to) return;
    if (!isContent(t) || !questionStems.has(t.stem)) return;
    const d = i < from ? from - i : i - to + 1;
    const side = i < from ? 'after' : 'before';
    if (!best || d < best.d) best = { d, side };
  });
  if (!best) return 'none';
  const { d, side } = best;
  const bucket = d === 1 ? '1' : d <= 3 ? '2-3' : d <= 7 ? '4-7' : '8+';
  return `${side}:${bucket}`;
}

/** The features of the answer text alone: type, length, and whether it repeats a question word. */
export function answerFeatures(
  tokens: readonly Token[],
  questionStems: ReadonlySet<string>,
): Record<string, string> {
  return {
    type: spanType(tokens),
    length: lengthBucket(tokens.length),
    overlap: tokens.some((t) => isContent(t) && questionStems.has(t.stem)) ? 'some' : 'none',
  };
}

/** Every feature of a span in its context. */
export function spanFeatures(span: Span, ranking: SentenceRanking): SpanFeatures {
  const tokens = span.sentence.tokens.slice(span.from, span.to);
  const rank = ranking.ranks.get(span.sentence) ?? 99;
  return {
    ...answerFeatures(tokens, ranking.questionStems),
    cut: cutLabel(span),
    left: leftLabel(span),
    right: rightLabel(span),
    distance: distanceLabel(span, ranking.questionStems),
    rank: rank === 0 ? '1' : rank === 1 ? '2' : '3+',
    passage: span.sentence.passage === 0 ? '1' : span.sentence.passage === 1 ? '2' : '3+',
  };
}

/** The text of a span as written in its sentence. */
export function spanText(span: Span): string {
  const { sentence, from, to } = span;
  return sentence.text.slice(sentence.tokens[from]!.start, sentence.tokens[to - 1]!.end);
}

/**
 * The places where `answer` (its words, ignoring case) occurs in the sentences, best-ranked
 * sentence first.
 */
export function findAnswer(answer: readonly Token[], ranking: SentenceRanking): Span[] {
  const out: Span[] = [];
  if (answer.length === 0) return out;
  for (const sentence of ranking.order) {
    const t = sentence.tokens;
    for (let i = 0; i + answer.length <= t.length; i++) {
      if (answer.every((a, j) => t[i + j]!.lower === a.lower))
        out.push({ sentence, from: i, to: i + answer.length });
    }
  }
  return out;
}

/**
 * The candidate spans of a sentence: up to `maxLength` words, neither first nor last word a
 * stopword, not running across a bracket, a semicolon or a sentence stop, and not made only of
 * the question's own words (an answer tells something the question does not).
 */
export function candidateSpans(
  sentence: Sentence,
  maxLength: number,
  questionStems: ReadonlySet<string>,
): Span[] {
  const t = sentence.tokens;
  const out: Span[] = [];
  for (let from = 0; from < t.length; from++) {
    if (STOPWORDS.has(t[from]!.lower)) continue;
    let fresh = false;
    for (let to = from + 1; to <= Math.min(t.length, from + maxLength); to++) {
      if (to - 1 > from && /[()[\];]|[.!?]\s/.test(sentence.text.slice(t[to - 2]!.end, t[to - 1]!.start)))
        break;
      const last = t[to - 1]!;
      if (!STOPWORDS.has(last.lower) && !questionStems.has(last.stem)) fresh = true;
      if (STOPWORDS.has(last.lower) || !fresh) continue;
      out.push({ sentence, from, to });
    }
  }
  return out;
}
