import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';
import { DspyError } from '../../errors.js';
import { logger } from '../../settings.js';
import { type SandboxFailure, sandboxError } from './sandbox-errors.js';
import { runInWorker } from './sandbox-host.js';

/** Limits and globals of one sandboxed run. */
export interface SandboxOptions {
  /** CPU-time limit in ms, checked while the interpreter runs (default 2000). */
  readonly timeoutMs?: number;
  /** Heap limit of the run in bytes (default 64 MiB). */
  readonly memoryLimitBytes?: number;
  /** Stack limit in bytes (default 256 KiB; much larger limits may overflow the host's own stack first). */
  readonly maxStackBytes?: number;
  /** JSON values defined as global constants (e.g. `{ inputs: { question } }`). */
  readonly globals?: Readonly<Record<string, unknown>>;
  /**
   * Most characters kept of the printed output, and likewise of the result's text (default
   * 20,000; the rest is cut and `truncated` / `valueTruncated` say so).
   */
  readonly maxOutputChars?: number;
  /**
   * Runs the code in a worker thread that is terminated when it overruns `timeoutMs` (default
   * true): the limit then holds even for one long built-in call, which the interpreter's own
   * check cannot stop. `false` runs in this thread, with no thread start-up but no enforceable
   * CPU-time limit: the interpreter checks its deadline only between instructions, so one
   * built-in call (a catastrophic regular expression such as `/(a+)+$/` on a long input) can
   * hold the calling thread for minutes. `worker: false` together with `timeoutMs` is
   * therefore refused (`SANDBOX_ERROR`, `details.kind: 'options'`); without `timeoutMs` the
   * default 2000 ms applies as a best-effort check only.
   */
  readonly worker?: boolean;
}

/** What a sandboxed run produced. */
export interface SandboxResult {
  /**
   * The code's completion value (awaited if it is a promise), as JSON; undefined when there is
   * none. When its text (the string itself, or its JSON) is longer than `maxOutputChars`, the
   * first `maxOutputChars` characters of that text, and `valueTruncated` is true.
   */
  readonly value: unknown;
  /** Everything printed with `console.log` (and `info`, `warn`, `error`, `debug`), one line per call. */
  readonly output: string;
  /** True when the printed output was longer than `maxOutputChars` and was cut. */
  readonly truncated: boolean;
  /** True when the value's text was longer than `maxOutputChars` and was cut. */
  readonly valueTruncated: boolean;
}

/** The limits of a run, every one set. @internal */
export type SandboxLimits = typeof DEFAULTS;

const DEFAULTS = {
  timeoutMs: 2000,
  memoryLimitBytes: 64 * 1024 * 1024,
  maxStackBytes: 256 * 1024,
  maxOutputChars: 20_000,
};
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

type Limits = SandboxLimits;

let wasm: Promise<QuickJSWASMModule> | undefined;

/**
 * The QuickJS WebAssembly module: loaded on first use, then shared by every run. It is an
 * optional peer dependency of core (about 11 MB that only `ProgramOfThought` and `runSandboxed`
 * use); where it is not installed, the first run says what to install.
 */
function quickjs(): Promise<QuickJSWASMModule> {
  wasm ??= import('quickjs-emscripten').then(
    (m) => m.newQuickJSWASMModule(),
    (err: unknown) => {
      wasm = undefined;
      throw isMissingModule(err) ? missingQuickJS(err) : err;
    },
  );
  return wasm;
}

function isMissingModule(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    (err instanceof Error &&
      /quickjs-emscripten/.test(err.message) &&
      /cannot find|not found|resolve/i.test(err.message))
  );
}

function missingQuickJS(err: unknown): DspyError {
  const fix =
    'Install the sandbox next to @dspy-ts/core: npm install quickjs-emscripten (it is an optional peer dependency).';
  return new DspyError('SANDBOX_ERROR', 'runSandboxed: the quickjs-emscripten package is not installed.', {
    cause: err,
    details: { where: 'runSandboxed', fix, kind: 'setup' },
  });
}

/**
 * Loads the QuickJS WebAssembly module ahead of the first run. Its types stay out of core's
 * declarations, which therefore need no quickjs-emscripten types (nor `Symbol.dispose`). @internal
 */
export async function preloadQuickJS(): Promise<void> {
  await quickjs();
}

/** The limits of `opts`, with defaults; throws `SANDBOX_ERROR` for a bad value. @internal */
export function limitsOf(opts: SandboxOptions): Limits {
  const out = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof Limits)[]) {
    const v = opts[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new DspyError(
        'SANDBOX_ERROR',
        `runSandboxed: ${key} must be a positive number, got ${String(v)}.`,
        {
          details: {
            where: 'runSandboxed',
            fix: `Pass { ${key}: ${DEFAULTS[key]} } or leave it out.`,
            kind: 'options',
          },
        },
      );
    }
    out[key] = v;
  }
  return out;
}

/** Formats console arguments as one line: strings as they are, anything else as JSON. */
function formatArgs(ctx: QuickJSContext, args: QuickJSHandle[]): string {
  return args
    .map((h) => {
      const v: unknown = ctx.dump(h);
      if (typeof v === 'string') return v;
      try {
        return JSON.stringify(v) ?? String(v);
      } catch {
        return String(v);
      }
    })
    .join(' ');
}

/** The JSON text of a value read from the sandbox (a BigInt has none: its digits). */
function textOf(value: unknown): string | undefined {
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/** Reads a thrown value (an error object, or anything else) from the sandbox. */
function failureOf(
  ctx: QuickJSContext,
  handle: QuickJSHandle,
  state: { interrupted: boolean },
): SandboxFailure {
  let raw: unknown;
  try {
    raw = ctx.dump(handle);
  } catch {
    raw = undefined;
  }
  const err = (typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }) as {
    name?: unknown;
    message?: unknown;
    lineNumber?: unknown;
  };
  const name = typeof err.name === 'string' ? err.name : undefined;
  const message = typeof err.message === 'string' ? err.message : String(raw);
  const line = typeof err.lineNumber === 'number' ? err.lineNumber : undefined;
  const base = { ...(name ? { name } : {}), message, ...(line !== undefined ? { line } : {}) };
  if (state.interrupted || (name === 'InternalError' && message === 'interrupted'))
    return { kind: 'timeout', ...base };
  if (/out of memory/i.test(message) || raw === null) return { kind: 'memory', ...base };
  if (/stack overflow|call stack size/i.test(message)) return { kind: 'stack', ...base };
  if (name === 'SyntaxError') return { kind: 'syntax', ...base };
  return { kind: 'runtime', ...base };
}

class Run {
  private readonly lines: string[] = [];
  private chars = 0;
  truncated = false;
  valueTruncated = false;
  readonly state = { interrupted: false };

  constructor(
    private readonly rt: QuickJSRuntime,
    private readonly ctx: QuickJSContext,
    private readonly limits: Limits,
  ) {}

  fail(f: SandboxFailure, cause?: unknown): never {
    throw sandboxError(f, this.limits, cause);
  }

  print(text: string): void {
    if (this.truncated) return;
    const room = this.limits.maxOutputChars - this.chars;
    if (text.length > room) {
      this.lines.push(text.slice(0, Math.max(0, room)));
      this.truncated = true;
    } else this.lines.push(text);
    this.chars += text.length + 1;
  }

  get output(): string {
    return this.lines.join('\n');
  }

  installConsole(): void {
    const { ctx } = this;
    const consoleObj = ctx.newObject();
    try {
      for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
        const fn = ctx.newFunction(level, (...args) => {
          this.print(formatArgs(ctx, args));
        });
        ctx.setProp(consoleObj, level, fn);
        fn.dispose();
      }
      ctx.setProp(ctx.global, 'console', consoleObj);
    } finally {
      consoleObj.dispose();
    }
  }

  installGlobals(globals: Readonly<Record<string, unknown>>): void {
    const { ctx } = this;
    for (const [name, value] of Object.entries(globals)) {
      if (!IDENTIFIER.test(name) || name === 'console') {
        this.fail({ kind: 'globals', message: `runSandboxed: '${name}' cannot be a global name` });
      }
      const json = JSON.stringify(value);
      if (json === undefined) {
        this.fail({ kind: 'globals', message: `runSandboxed: global '${name}' is not a JSON value` });
      }
      const parsed = this.parseJson(json);
      ctx.setProp(ctx.global, name, parsed);
      parsed.dispose();
    }
  }

  private parseJson(json: string): QuickJSHandle {
    const { ctx } = this;
    const jsonObj = ctx.getProp(ctx.global, 'JSON');
    const parse = ctx.getProp(jsonObj, 'parse');
    const text = ctx.newString(json);
    try {
      const result = ctx.callFunction(parse, jsonObj, [text]);
      if (result.error) {
        const f = failureOf(ctx, result.error, this.state);
        result.error.dispose();
        return this.fail(f.kind === 'memory' ? f : { ...f, kind: 'globals' });
      }
      return result.value;
    } finally {
      text.dispose();
      parse.dispose();
      jsonObj.dispose();
    }
  }

  evaluate(code: string): unknown {
    const { ctx } = this;
    const result = ctx.evalCode(code, 'program.js');
    if (result.error) {
      const f = failureOf(ctx, result.error, this.state);
      result.error.dispose();
      return this.fail(f);
    }
    const handle = result.value;
    try {
      return this.settle(handle);
    } finally {
      handle.dispose();
    }
  }

  /** The value of `handle`, after running pending jobs when it is a promise. */
  private settle(handle: QuickJSHandle): unknown {
    const { ctx } = this;
    const first = ctx.getPromiseState(handle);
    // For a value that is not a promise, `first.value` is `handle` itself (disposed by the caller).
    if (first.type === 'fulfilled' && first.notAPromise) return this.read(handle);
    if (first.type === 'fulfilled') first.value.dispose();
    if (first.type === 'rejected') first.error.dispose();
    const jobs = this.rt.executePendingJobs(-1);
    if (jobs.error) {
      const f = failureOf(ctx, jobs.error, this.state);
      jobs.error.dispose();
      return this.fail(f);
    }
    const state = ctx.getPromiseState(handle);
    if (state.type === 'pending') return this.fail({ kind: 'pending', message: 'pending promise' });
    if (state.type === 'rejected') {
      const f = failureOf(ctx, state.error, this.state);
      state.error.dispose();
      return this.fail(f);
    }
    try {
      return this.read(state.value);
    } finally {
      state.value.dispose();
    }
  }

  private read(handle: QuickJSHandle): unknown {
    const type = this.ctx.typeof(handle);
    if (type === 'undefined') return undefined;
    if (type === 'function' || type === 'symbol') return `[${type}]`;
    let value: unknown;
    try {
      value = this.ctx.dump(handle);
    } catch (err) {
      return this.fail({ kind: 'memory', message: `the result could not be read: ${String(err)}` }, err);
    }
    return this.cap(value);
  }

  /** `value`, or the first `maxOutputChars` characters of its text when that is longer. */
  private cap(value: unknown): unknown {
    const max = this.limits.maxOutputChars;
    const text = typeof value === 'string' ? value : textOf(value);
    if (text === undefined || text.length <= max) return value;
    this.valueTruncated = true;
    return text.slice(0, max);
  }
}

/**
 * Deep recursion may exhaust the host's stack inside the WebAssembly code before QuickJS's own
 * check fires: report it as a stack failure, and load a fresh module next time.
 */
function hostGuard<T>(run: Run, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DspyError) throw err;
    wasm = undefined;
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError) return run.fail({ kind: 'stack', message }, err);
    return run.fail({ kind: 'runtime', name: 'InternalError', message }, err);
  }
}

function dispose(ctx: QuickJSContext, rt: QuickJSRuntime): void {
  try {
    ctx.dispose();
    rt.dispose();
  } catch (err) {
    // A runtime that cannot be freed leaves the module unusable: load a fresh one next time.
    wasm = undefined;
    logger().warn(`runSandboxed: reloading the QuickJS module after a failed cleanup (${String(err)}).`);
  }
}

/**
 * Runs JavaScript in a QuickJS sandbox: a fresh runtime per run with a CPU-time limit, a
 * memory limit and a stack limit, and nothing from the host but `console.*` (captured) and
 * the given JSON globals: no `process`, `require`, modules, timers, filesystem or network.
 * The run happens in a worker thread that is terminated if it overruns its CPU-time limit
 * (the interpreter's interrupt check stops ordinary loops first); `worker: false` runs it here.
 * Failures are `DspyError('SANDBOX_ERROR')` with `details.kind` (`syntax`, `runtime`,
 * `timeout`, `memory`, `stack`, `pending`, `globals`).
 *
 * @example
 * ```ts
 * const { value, output } = await runSandboxed('console.log(inputs.n); inputs.n * 2', {
 *   globals: { inputs: { n: 21 } },
 *   timeoutMs: 500,
 * });
 * // value: 42, output: '21'
 * ```
 */
export async function runSandboxed(code: string, opts: SandboxOptions = {}): Promise<SandboxResult> {
  checkCode(code);
  const limits = limitsOf(opts);
  assertEnforceable(opts, 'runSandboxed');
  if (opts.worker === false) return runInThisThread(code, opts);
  const { worker: _worker, ...rest } = opts;
  return runInWorker(code, rest, limits);
}

/**
 * Refuses `worker: false` with an explicit `timeoutMs`: in the calling thread that limit cannot
 * be enforced against one long built-in call. `where` names the caller. @internal
 */
export function assertEnforceable(opts: SandboxOptions, where: string): void {
  if (opts.worker !== false || opts.timeoutMs === undefined) return;
  throw new DspyError(
    'SANDBOX_ERROR',
    `${where}: timeoutMs: ${opts.timeoutMs} cannot be enforced with worker: false. In the calling thread the interpreter checks its deadline only between instructions, so one long built-in call (a catastrophic regular expression, a huge array) can block this thread for minutes past the limit.`,
    {
      details: {
        where,
        fix: 'Leave worker at its default (a worker thread, terminated at the deadline) to get a hard CPU-time limit, or leave timeoutMs out to run in this thread with only a best-effort 2000 ms check.',
        kind: 'options',
      },
    },
  );
}

function checkCode(code: unknown): void {
  if (typeof code !== 'string') {
    throw new DspyError('SANDBOX_ERROR', `runSandboxed: code must be a string, got ${typeof code}.`, {
      details: { where: 'runSandboxed', fix: 'Pass the JavaScript source as a string.', kind: 'options' },
    });
  }
}

/** Runs the sandbox in the calling thread; the CPU-time limit is the interrupt check only. @internal */
export async function runInThisThread(code: string, opts: SandboxOptions = {}): Promise<SandboxResult> {
  checkCode(code);
  const limits = limitsOf(opts);
  const module = await quickjs();
  const rt = module.newRuntime();
  rt.setMemoryLimit(limits.memoryLimitBytes);
  rt.setMaxStackSize(limits.maxStackBytes);
  const ctx = rt.newContext();
  const run = new Run(rt, ctx, limits);
  try {
    run.installConsole();
    run.installGlobals(opts.globals ?? {});
    const deadline = Date.now() + limits.timeoutMs;
    rt.setInterruptHandler(() => {
      if (Date.now() <= deadline) return false;
      run.state.interrupted = true;
      return true;
    });
    const value = hostGuard(run, () => run.evaluate(code));
    return { value, output: run.output, truncated: run.truncated, valueTruncated: run.valueTruncated };
  } finally {
    dispose(ctx, rt);
  }
}
