import type { Adapter } from './adapters/types.js';
import type { Callback } from './callbacks.js';
import type { LanguageModel, LMRequest } from './lm/types.js';
import { createAsyncContext } from './runtime/async-context.js';
import { envVar } from './runtime/node-builtins.js';
import { checkNumberOption } from './utils/number-option.js';

/** A sink for library log lines; silence it with `configure({ logger: silentLogger })`. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** Discards every log line. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {} };

/** Writes a line to stderr where the runtime has one, else to the console's error stream (browsers, workerd). */
function writeStderr(line: string): void {
  const stderr = (globalThis as { process?: { stderr?: { write?: (s: string) => unknown } } }).process
    ?.stderr;
  if (typeof stderr?.write === 'function') stderr.write(`${line}\n`);
  else console.error(line);
}

/**
 * Writes warnings to stderr (the console's error stream where there is no stderr); debug and
 * info are dropped unless `DSPY_TS_DEBUG` is set.
 */
export const stderrLogger: Logger = {
  debug(m) {
    if (envVar('DSPY_TS_DEBUG')) writeStderr(`[dspy-ts] ${m}`);
  },
  info(m) {
    if (envVar('DSPY_TS_DEBUG')) writeStderr(`[dspy-ts] ${m}`);
  },
  warn(m) {
    writeStderr(`[dspy-ts] warning: ${m}`);
  },
};

/** What the OpenTelemetry spans of dspy-ts hold (see docs/observability.md). */
export interface TelemetrySettings {
  /**
   * Attach prompts, completions, predictor inputs and outputs, and tool arguments and results
   * to spans (`gen_ai.input.messages`, `gen_ai.output.messages`, ...). Default false: they may
   * hold personal data. Credentials are masked either way.
   */
  readonly recordContent?: boolean;
}

/** Settings that apply to every module call unless overridden. */
export interface Settings {
  /** The default language model. */
  readonly lm?: LanguageModel;
  /** The default adapter (a `ChatAdapter` when unset). */
  readonly adapter?: Adapter;
  readonly logger?: Logger;
  /**
   * Maximum errors tolerated by `evaluate` and optimizers before they stop (default 10): an
   * integer ≥ 0, or `Infinity` for no limit.
   */
  readonly maxErrors?: number;
  /** Default concurrency of `evaluate` and `Parallel` (default 8): an integer ≥ 1. */
  readonly numThreads?: number;
  /** Callback handlers, called in order (see {@link Callback}). */
  readonly callbacks?: readonly Callback[];
  /**
   * Request parameters applied to every LM call in scope (temperature, rolloutId, cache, ...).
   * Optimizers use it to sample a teacher at temperature 1.0 with a fresh rollout id.
   */
  readonly lmRequest?: Readonly<Partial<Omit<LMRequest, 'messages' | 'signal'>>>;
  /** What spans record when an OpenTelemetry SDK is registered (see {@link TelemetrySettings}). */
  readonly telemetry?: TelemetrySettings;
  /** Free-form extra settings for user code and plug-ins. */
  readonly [key: string]: unknown;
}

let globalSettings: Settings = {};

/** Throws `OPTION_INVALID` for a numeric setting out of its range (a NaN from an unset env var, ...). */
function checkSettings(settings: Settings, owner: string): void {
  checkNumberOption(owner, 'numThreads', settings.numThreads, { integer: true, min: 1 });
  checkNumberOption(owner, 'maxErrors', settings.maxErrors, { integer: true, min: 0, infinity: true });
}
const scoped = createAsyncContext<Settings>();

/**
 * Sets process-wide defaults. Later calls merge into earlier ones. A numeric setting out of its
 * range (`numThreads: NaN`, `maxErrors: -1`) throws `OPTION_INVALID` and changes nothing.
 *
 * @example
 * ```ts
 * configure({ lm: new LM('openai/gpt-4o-mini') });
 * ```
 */
export function configure(settings: Settings): void {
  checkSettings(settings, 'configure');
  globalSettings = { ...globalSettings, ...settings };
}

/**
 * Runs `fn` with `overrides` applied to everything it awaits, and nothing else: concurrent
 * tasks can use different LMs safely.
 *
 * @example
 * ```ts
 * const pred = await withSettings({ lm: bigLM }, () => qa.forward({ question }));
 * ```
 */
export function withSettings<T>(overrides: Settings, fn: () => T): T {
  checkSettings(overrides, 'withSettings');
  return scoped.run({ ...currentSettings(), ...overrides }, fn);
}

/** The settings in force here: the innermost `withSettings`, else `configure`'s. */
export function currentSettings(): Settings {
  return scoped.getStore() ?? globalSettings;
}

/** The logger in force. */
export function logger(): Logger {
  return currentSettings().logger ?? stderrLogger;
}

/** Clears everything `configure` set (for tests). */
export function resetSettings(): void {
  globalSettings = {};
}
