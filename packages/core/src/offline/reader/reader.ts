import type { FieldTexts, ParsedPrompt, PromptField } from '../prompt/types.js';
import { isReasoningField } from '../values.js';
import {
  answerFeatures,
  candidateSpans,
  findAnswer,
  PLACE_FEATURES,
  rankSentences,
  type SentenceRanking,
  type Span,
  type SpanFeatures,
  spanFeatures,
  spanText,
} from './spans.js';
import { passagesOf, type QuestionClass, questionClass, sentencesOf, tokenize } from './text.js';

/** Input names read as the passages to answer from. */
const CONTEXT_NAME =
  /^(context|contexts|passages?|documents?|docs|evidence|paragraphs?|snippets?|sources|retrieved)$/i;
/** Input names read as the question. */
const QUESTION_NAME = /^(question|query|claim|q)$/i;
/** Output names that are a query to write, never an answer to read. */
export const QUERY_NAME = /^(search_?)?quer(y|ies)$|^search$|_query$|Query$/;

/** The field a prompt's passages come in, and the question's, when the prompt has both. */
export interface ReadingFields {
  readonly context?: string;
  readonly question: string;
}

/** Output names that ask for an answer (a `string[]` input of another name is read as passages for them). */
const ANSWER_NAME = /answer|response|span/i;

/**
 * The context and question inputs of a prompt: the context is an input named like `context` or
 * `passages` (or, when `answerLike`, any `string[]` input other than the question); the
 * question is an input named `question` (or `query`, `claim`), else the first other string
 * input.
 */
export function readingFields(inputs: readonly PromptField[], answerLike = false): ReadingFields | undefined {
  const context =
    inputs.find((f) => CONTEXT_NAME.test(f.name)) ??
    (answerLike
      ? inputs.find(
          (f) => /^(readonly )?string\[\]$|^Array<string>$/.test(f.typeText) && !QUESTION_NAME.test(f.name),
        )
      : undefined);
  const question =
    inputs.find((f) => QUESTION_NAME.test(f.name) && f !== context) ??
    inputs.find((f) => f !== context && f.kind === 'string');
  if (!question) return undefined;
  return { context: context?.name, question: question.name };
}

/** What the reader answered, and a sentence saying how. */
export interface ReaderAnswer {
  readonly value: string;
  readonly explanation: string;
}

/** Counts of feature values over the demos, weighted by how alike their question is to this one. */
type Model = Map<string, Map<string, number>>;

/** Weight of a demo whose question is of another class than the current one. */
const OTHER_CLASS = 0.05;
/**
 * P(value) of a feature among the demos' answers, drawn towards `prior` (its share among the
 * candidate spans) with the weight of {@link PRIOR_WEIGHT} demos: a value no demo showed scores
 * below the prior, never above it.
 */
function mEstimate(model: Model, name: string, value: string, prior: number): number {
  const counts = model.get(name)!;
  let total = 0;
  for (const c of counts.values()) total += c;
  return ((counts.get(value) ?? 0) + PRIOR_WEIGHT * prior) / (total + PRIOR_WEIGHT);
}

/** How many demos' worth of weight the candidates' own distribution gets in {@link mEstimate}. */
const PRIOR_WEIGHT = 2;
/**
 * How much each feature counts: the answer's type (against the question's class) and its
 * distance to question words twice, the neighbouring words half (they vary most between answers).
 */
const FEATURE_WEIGHTS: Readonly<Record<string, number>> = { type: 2, distance: 2, left: 0.5, right: 0.5 };
/** Pseudo-count of each feature value (seen or not). */
const SMOOTHING = 1;
/** Weight of the sentence score against the features' log-probabilities. */
const SENTENCE_WEIGHT = 9;
/** Median demo answer length (words) above which the output is no short answer. */
const LONG_ANSWER = 12;
/** Sentences whose candidate spans are weighed (the best-ranked ones). */
const SENTENCES_READ = 5;

function add(model: Model, features: Readonly<Record<string, string>>, weight: number): void {
  for (const [name, value] of Object.entries(features)) {
    let counts = model.get(name);
    if (!counts) {
      counts = new Map();
      model.set(name, counts);
    }
    counts.set(value, (counts.get(value) ?? 0) + weight);
  }
}

/** log P(value) of a feature, add-one smoothed over the values seen plus one unseen; 0 for a feature no demo showed. */
function logProb(model: Model, name: string, value: string): number {
  const counts = model.get(name);
  if (!counts) return 0;
  let total = 0;
  for (const c of counts.values()) total += c;
  return Math.log(((counts.get(value) ?? 0) + SMOOTHING) / (total + SMOOTHING * (counts.size + 1)));
}

/** What the demos that have `field` teach: feature counts, the longest answer, and yes/no answers of yes-no questions. */
interface Lesson {
  readonly model: Model;
  readonly demos: number;
  readonly placed: number;
  readonly maxLength: number;
  readonly yesNo: Map<string, number>;
  /** The median length in words of the demos' answers. */
  readonly medianLength: number;
}

function learn(prompt: ParsedPrompt, field: string, fields: ReadingFields, cls: QuestionClass): Lesson {
  const model: Model = new Map();
  let demos = 0;
  let placed = 0;
  let maxLength = 1;
  const yesNo = new Map<string, number>();
  const lengths: number[] = [];
  for (const demo of prompt.demos) {
    const value = demo.outputs[field];
    const question = demo.inputs[fields.question];
    if (value === undefined || question === undefined) continue;
    const answer = tokenize(value);
    if (answer.length === 0) continue;
    demos++;
    const demoClass = questionClass(question);
    const weight = demoClass === cls ? 1 : OTHER_CLASS;
    maxLength = Math.max(maxLength, answer.length);
    lengths.push(answer.length);
    if (demoClass === 'yes-no' && /^(yes|no)$/i.test(value.trim())) {
      const v = value.trim().toLowerCase();
      yesNo.set(v, (yesNo.get(v) ?? 0) + weight);
    }
    const questionTokens = tokenize(question);
    const context = fields.context === undefined ? undefined : demo.inputs[fields.context];
    const ranking =
      context === undefined ? undefined : rankSentences(sentencesOf(passagesOf(context)), questionTokens);
    const at = ranking ? findAnswer(answer, ranking)[0] : undefined;
    if (ranking && at) {
      placed++;
      add(model, spanFeatures(at, ranking), weight);
    } else {
      add(model, answerFeatures(answer, new Set(questionTokens.map((t) => t.stem))), weight);
    }
  }
  lengths.sort((a, b) => a - b);
  const medianLength = lengths.length > 0 ? lengths[Math.floor(lengths.length / 2)]! : 0;
  return { model, demos, placed, maxLength, yesNo, medianLength };
}

/** The current inputs' sentences ranked against the question, or undefined when the context is empty. */
function rankContext(inputs: FieldTexts, fields: ReadingFields): SentenceRanking | undefined {
  const context = fields.context === undefined ? undefined : inputs[fields.context];
  if (context === undefined) return undefined;
  const sentences = sentencesOf(passagesOf(context));
  if (sentences.length === 0) return undefined;
  return rankSentences(sentences, tokenize(inputs[fields.question] ?? ''));
}

function quote(text: string, max = 80): string {
  return text.length <= max ? `"${text}"` : `"${text.slice(0, max - 1)}…"`;
}

/**
 * Reads an answer span for `field` out of the prompt's context (see the testing package's README,
 * "How it reads passages"): sentences are ranked by the IDF-weighted question words they share;
 * without demos the best sentence is the answer. With demos, each demo's answer teaches its
 * features (type, length, whether it repeats a question word, and, when the demo's context holds
 * it, whether it cuts a name or number, the word or mark before and after it, its distance to a
 * question word and its sentence's rank), weighted 1 for demos whose question asks the same kind
 * of thing (`who`, `when`, `how many`, ...) and 0.05 otherwise. Every span of up to the longest
 * demo answer's length (plus two) in the five best sentences scores 9 × its sentence's score
 * relative to the best, plus, per feature, log(P(value | demo answers) / P(value | candidate
 * spans)), the first drawn towards the second with the weight of two demos, times the feature's
 * weight (type and distance 2, the neighbouring words ½, others 1); the best span wins
 * (ties: earlier sentence, earlier and shorter span). A yes-no question whose like demos answer
 * yes or no gets their majority.
 * Undefined when the prompt has no usable context or question, or when the demos' answers are
 * long (median above 12 words: the task writes text rather than picking a span).
 */
export function readAnswer(prompt: ParsedPrompt, field: PromptField): ReaderAnswer | undefined {
  if (field.kind !== 'string' || isReasoningField(field.name) || QUERY_NAME.test(field.name))
    return undefined;
  const fields = readingFields(prompt.system.inputs, ANSWER_NAME.test(field.name));
  if (!fields?.context) return undefined;
  const ranking = rankContext(prompt.inputs, fields);
  if (!ranking) return undefined;
  const cls = questionClass(prompt.inputs[fields.question] ?? '');
  const lesson = learn(prompt, field.name, fields, cls);
  // Demos whose answers are long texts ask for writing, not a span: not the reader's task.
  if (lesson.medianLength > LONG_ANSWER) return undefined;
  const best = ranking.order[0]!;
  const top = ranking.scores.get(best)!;
  if (lesson.demos === 0) {
    return {
      value: best.text,
      explanation: `No example shows what an answer looks like, so the sentence sharing the most rare words with the question is given: ${quote(best.text)}.`,
    };
  }
  if (cls === 'yes-no' && lesson.yesNo.size > 0) {
    const [value] = [...lesson.yesNo.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    return {
      value,
      explanation: `Examples answer yes-no questions like this one "${value}" most often.`,
    };
  }
  const maxLength = Math.min(lesson.maxLength + 2, 12);
  // Each feature value scores log(P(value | demo answers) / P(value | candidate spans)): what
  // sets answers apart from the other spans of the context, not what every span has.
  const candidates: { span: Span; features: SpanFeatures; relative: number }[] = [];
  const background: Model = new Map();
  for (const sentence of ranking.order.slice(0, SENTENCES_READ)) {
    const relative = top > 0 ? ranking.scores.get(sentence)! / top : 0;
    for (const span of candidateSpans(sentence, maxLength, ranking.questionStems)) {
      const features = spanFeatures(span, ranking);
      candidates.push({ span, features, relative });
      add(background, features, 1);
    }
  }
  let winner: { span: Span; score: number } | undefined;
  for (const { span, features, relative } of candidates) {
    let score = SENTENCE_WEIGHT * relative;
    for (const [name, value] of Object.entries(features)) {
      if (lesson.placed === 0 && PLACE_FEATURES.includes(name)) continue;
      if (!lesson.model.has(name)) continue;
      const prior = Math.exp(logProb(background, name, value));
      score += (FEATURE_WEIGHTS[name] ?? 1) * Math.log(mEstimate(lesson.model, name, value, prior) / prior);
    }
    if (!winner || score > winner.score + 1e-9) winner = { span, score };
  }
  if (!winner) {
    return {
      value: best.text,
      explanation: `No span of the best sentences fits, so the sentence sharing the most rare words with the question is given: ${quote(best.text)}.`,
    };
  }
  const f = spanFeatures(winner.span, ranking);
  const taught = lesson.placed > 0 ? `, ${lesson.placed} of them placed in their context` : '';
  return {
    value: spanText(winner.span),
    explanation:
      `The question asks "${cls}"; ${lesson.demos} examples${taught} teach what such answers look like. ` +
      `In the sentence ${quote(winner.span.sentence.text)} the span that fits them best is a ${f.type} of ${f.length} word(s) after "${f.left}".`,
  };
}
