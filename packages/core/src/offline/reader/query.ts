import type { ParsedPrompt, PromptField } from '../prompt/types.js';
import { hash32, STOPWORDS } from '../tokens.js';
import { isReasoningField } from '../values.js';
import { QUERY_NAME, readingFields } from './reader.js';
import { rankSentences } from './spans.js';
import { isContent, passagesOf, QUESTION_WORDS, sentencesOf, type Token, tokenize } from './text.js';

/** The question's words without question words and stopwords (all of them when nothing is left). */
function keywordsOf(tokens: readonly Token[]): Token[] {
  const kept = tokens.filter((t) => !STOPWORDS.has(t.lower) && !QUESTION_WORDS.has(t.lower));
  return kept.length > 0 ? kept : [...tokens];
}

/** What the query writer wrote, and a sentence saying how. */
export interface QueryAnswer {
  readonly value: string;
  readonly explanation: string;
}

/** The kind of a question word, for learning which kinds demos keep: `wh`, `stop`, `num`, `cap`, `word`. */
function kindOf(token: Token, first: boolean): string {
  if (QUESTION_WORDS.has(token.lower)) return 'wh';
  if (STOPWORDS.has(token.lower)) return 'stop';
  if (/\p{N}/u.test(token.text)) return 'num';
  if (!first && /^\p{Lu}/u.test(token.text)) return 'cap';
  return 'word';
}

/** What demos teach a query writer: per word kind, the share kept; words added from the context per demo; the share of capitalised ones. */
interface QueryLesson {
  readonly demos: number;
  readonly keep: ReadonlyMap<string, number>;
  readonly withContext: number;
  readonly added: number;
  readonly addedCapital: number;
}

function learnQueries(prompt: ParsedPrompt, field: string, question: string, context?: string): QueryLesson {
  const seen = new Map<string, number>();
  const kept = new Map<string, number>();
  let demos = 0;
  let withContext = 0;
  let added = 0;
  let addedCapital = 0;
  for (const demo of prompt.demos) {
    const query = demo.outputs[field];
    const q = demo.inputs[question];
    if (query === undefined || q === undefined) continue;
    demos++;
    const queryStems = new Set(tokenize(query).map((t) => t.stem));
    const questionTokens = tokenize(q);
    questionTokens.forEach((t, i) => {
      const kind = kindOf(t, i === 0);
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if (queryStems.has(t.stem)) kept.set(kind, (kept.get(kind) ?? 0) + 1);
    });
    const ctx = context === undefined ? undefined : demo.inputs[context];
    if (ctx === undefined) continue;
    withContext++;
    const questionStems = new Set(questionTokens.map((t) => t.stem));
    const contextStems = new Set(tokenize(ctx).map((t) => t.stem));
    for (const t of tokenize(query)) {
      if (questionStems.has(t.stem) || !contextStems.has(t.stem)) continue;
      added++;
      if (/^\p{Lu}/u.test(t.text)) addedCapital++;
    }
  }
  const keep = new Map([...seen].map(([k, n]) => [k, (kept.get(k) ?? 0) / n] as const));
  return { demos, keep, withContext, added, addedCapital };
}

/**
 * The `n` words of the passages that best extend a query, the bridge to what the question asks:
 * words not in the question and not stopwords, taken from the sentences that share the most
 * rare question words (`rankSentences`), capitalised ones first when `capitals` (else lower-case
 * first), then by the rank of the best sentence holding them, then by count, then by position.
 */
function contextWords(
  passages: readonly string[],
  questionTokens: readonly Token[],
  n: number,
  capitals: boolean,
): string[] {
  if (n <= 0 || passages.length === 0) return [];
  const ranking = rankSentences(sentencesOf(passages), questionTokens);
  const stats = new Map<
    string,
    { text: string; count: number; rank: number; first: number; capital: boolean }
  >();
  let position = 0;
  ranking.order.forEach((sentence, rank) => {
    for (const t of sentence.tokens) {
      position++;
      if (!isContent(t) || ranking.questionStems.has(t.stem) || /\p{N}/u.test(t.text)) continue;
      const s = stats.get(t.stem);
      if (s) s.count++;
      else
        stats.set(t.stem, {
          text: t.text,
          count: 1,
          rank,
          first: position,
          capital: /^\p{Lu}/u.test(t.text),
        });
    }
  });
  return [...stats.values()]
    .sort(
      (a, b) =>
        Number(b.capital === capitals) - Number(a.capital === capitals) ||
        a.rank - b.rank ||
        b.count - a.count ||
        a.first - b.first,
    )
    .slice(0, n)
    .map((s) => s.text.replace(/['’]s$/, ''));
}

/**
 * Writes a search query for `field` (an output named `query`, `search_query`, ...) from the
 * prompt's question (see the testing package's README, "How it writes queries"). Without demos
 * the query is the question's keywords (question words and stopwords dropped); a sampled request
 * (`sampledSeed` given) keeps every word one time in four and adds up to two words of the
 * context, drawn from the seed's hash. With
 * demos it rewrites the question as they do: each kind of question word (question words,
 * stopwords, numbers, capitalised words, other words) is kept when the demos keep at least half
 * of that kind, and when the prompt has a context, as many of its words are added as the demos
 * added from theirs on average (rounded), capitalised ones first when most of theirs were.
 * Undefined when the field is no query or the prompt has no question.
 */
export function writeQuery(
  prompt: ParsedPrompt,
  field: PromptField,
  sampledSeed?: string,
): QueryAnswer | undefined {
  if (field.kind !== 'string' || isReasoningField(field.name) || !QUERY_NAME.test(field.name))
    return undefined;
  const fields = readingFields(prompt.system.inputs);
  const question = fields ? prompt.inputs[fields.question] : undefined;
  if (!fields || question === undefined) return undefined;
  const tokens = tokenize(question);
  const contextText = fields.context === undefined ? undefined : prompt.inputs[fields.context];
  const passages = contextText === undefined ? [] : passagesOf(contextText);
  const lesson = learnQueries(prompt, field.name, fields.question, fields.context);
  const join = (kept: readonly Token[], extra: readonly string[]) =>
    [...kept.map((t) => t.text), ...extra].join(' ');
  if (lesson.demos === 0) {
    if (sampledSeed === undefined) {
      return {
        value: join(keywordsOf(tokens), []),
        explanation:
          'No example shows a query, so the query is the question without its question words and stopwords.',
      };
    }
    const h = hash32(`${sampledSeed}\u0000${question}`);
    const keepAll = h % 4 === 0;
    const extra = contextWords(passages, tokens, (h >>> 2) % 3, true);
    return {
      value: join(keepAll ? tokens : keywordsOf(tokens), extra),
      explanation: `No example shows a query; this sampled run ${keepAll ? 'keeps' : 'drops'} the question's small words and adds ${extra.length} word(s) of the context.`,
    };
  }
  const kept = tokens.filter((t, i) => (lesson.keep.get(kindOf(t, i === 0)) ?? 1) >= 0.5);
  const n = lesson.withContext > 0 && passages.length > 0 ? Math.round(lesson.added / lesson.withContext) : 0;
  const extra = contextWords(passages, tokens, n, lesson.addedCapital * 2 >= lesson.added);
  const dropped = [...lesson.keep].filter(([, share]) => share < 0.5).map(([k]) => k);
  return {
    value: join(kept.length > 0 ? kept : tokens, extra),
    explanation:
      `${lesson.demos} examples show queries: ${dropped.length > 0 ? `they drop ${dropped.join(', ')} words` : 'they keep the question’s words'}` +
      `${n > 0 ? ` and add ${n} word(s) of the passages (${extra.join(', ')})` : ''}.`,
  };
}
