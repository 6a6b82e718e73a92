import { DspyError } from '../errors.js';
import type { FieldSpec, JsonSchema } from './spec.js';

/** One earlier turn: values of some of the signature's input and output fields, by name. */
export type HistoryTurnValues = Readonly<Record<string, unknown>>;

/** What `History#toJSON()` gives and `new History(...)` also accepts. */
export interface HistoryData<T extends object = HistoryTurnValues> {
  readonly messages: readonly T[];
}

/** The marker keyword (and its value) on the JSON Schema of a `History` input field. */
export const HISTORY_TYPE_KEY = 'x-dspy-type';
const HISTORY_TYPE = 'History';

/**
 * The JSON Schema of a `History` input field, as the build step and the string parser write
 * it: an object with a `messages` array, marked with `x-dspy-type: 'History'` for the adapters.
 */
export const HISTORY_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  [HISTORY_TYPE_KEY]: HISTORY_TYPE,
  properties: { messages: { type: 'array', items: { type: 'object' } } },
  required: ['messages'],
});

const HISTORY_BRAND = Symbol.for('dspy-ts.History');

function checkTurn(turn: unknown, index: number): Readonly<Record<string, unknown>> {
  if (turn !== null && typeof turn === 'object' && !Array.isArray(turn)) {
    return Object.freeze({ ...(turn as Record<string, unknown>) });
  }
  throw new DspyError('INPUT_INVALID', `History turn ${index} is not an object of field values.`, {
    details: {
      where: `new History(...) messages[${index}]`,
      fix: "Give each turn as an object of the signature's field values, e.g. { question: 'Hi?', answer: 'Hello.' }.",
    },
  });
}

/**
 * A conversation's earlier turns, as an input field of a signature: each turn is an object of
 * the signature's input and output field values. Adapters render every turn as a user message
 * (the turn's inputs) and an assistant message (its outputs), after the demos and before the
 * current inputs. Immutable: {@link History.append} returns a new `History`.
 *
 * @example
 * ```ts
 * const history = new History([{ question: 'Capital of France?', answer: 'Paris' }]);
 * const qa = new Predict('history: History, question -> answer');
 * await qa.forward({ history, question: 'And its population?' });
 * ```
 */
export class History<T extends object = HistoryTurnValues> {
  /** The turns, oldest first (frozen). */
  readonly messages: readonly Readonly<T>[];

  /** From a list of turns, or from `{ messages }` (what {@link History.toJSON} gives). */
  constructor(turns: readonly T[] | HistoryData<T> = []) {
    const list: unknown = Array.isArray(turns) ? turns : (turns as HistoryData<T> | null)?.messages;
    if (!Array.isArray(list)) {
      throw new DspyError('INPUT_INVALID', 'new History(...) takes a list of turns or { messages: [...] }.', {
        details: {
          where: 'new History(...)',
          fix: "Pass an array of turns (new History([{ question, answer }])) or an object with a 'messages' array.",
        },
      });
    }
    this.messages = Object.freeze(list.map((turn, i) => checkTurn(turn, i) as Readonly<T>));
    Object.freeze(this);
  }

  /** How many turns there are. */
  get length(): number {
    return this.messages.length;
  }

  /** A new `History` with `turn` added at the end; this one is unchanged. */
  append(turn: T): History<T> {
    return new History<T>([...(this.messages as readonly T[]), turn]);
  }

  /** `{ messages }`: plain data for artifacts, demos and cache keys. */
  toJSON(): { messages: T[] } {
    return { messages: this.messages.map((m) => ({ ...m }) as T) };
  }

  /** True for a `History`, whichever copy of the package made it. */
  static isHistory(value: unknown): value is History<object> {
    return (
      value instanceof History || (value as { [HISTORY_BRAND]?: unknown } | null)?.[HISTORY_BRAND] === true
    );
  }
}

Object.defineProperty(History.prototype, HISTORY_BRAND, { value: true });

/** True when a field is a `History` input (its schema carries the marker). */
export function isHistoryField(field: Pick<FieldSpec, 'schema'>): boolean {
  return field.schema[HISTORY_TYPE_KEY] === HISTORY_TYPE;
}

/**
 * The turns of a `History` input value: a `History`, its `{ messages }` data (as it comes back
 * from an artifact or a cache), or undefined when absent.
 */
export function historyTurns(value: unknown): readonly HistoryTurnValues[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (History.isHistory(value)) return value.messages as readonly HistoryTurnValues[];
  return new History(value as HistoryData).messages;
}
