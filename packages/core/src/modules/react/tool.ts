import { withJsonRepair } from '../../adapters/json-extract.js';
import { ensureValidators } from '../../adapters/validate.js';
import { emit, newCallId } from '../../callbacks.js';
import { DspyError } from '../../errors.js';
import { recordToolMethod, type ToolOptions, toolMethodsOf } from '../../signature/index.js';
import { classChain } from '../../signature/metadata.js';
import type { JsonSchema } from '../../signature/spec.js';
import type { ToolCallOptions, Tool as ToolContract } from '../../tools/types.js';
import { checkToolArgs } from './tool-args.js';
import { designParamTypes, resolveToolShape, type ShapeSources, type ToolShape } from './tool-schema.js';

/**
 * A function a model may call: its name, what it does, a JSON Schema of its arguments, and
 * `call(args)`, which validates and coerces the arguments before running it.
 */
export interface Tool<R = unknown> extends ToolContract<R> {}

/** Options of {@link tool}. */
export interface ToolFunctionOptions {
  /** The name the model sees (default: the function's name). */
  readonly name?: string;
  /** What the tool does (default: the function's JSDoc, from the build step). */
  readonly desc?: string;
  /** An object JSON Schema of the arguments, when the build step has not run on this function. */
  readonly parameters?: JsonSchema;
}

const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const TOOL_MARK: unique symbol = Symbol.for('dspy-ts.tool');

function checkName(name: string, where: string): void {
  if (!TOOL_NAME.test(name)) {
    throw new DspyError('TOOL_ERROR', `${where}: '${name}' is not a valid tool name.`, {
      details: { where, fix: "Name tools with letters, digits, '_', '.' or '-' (e.g. { name: 'search' })." },
    });
  }
}

/** A tool backed by a function; its schema is worked out on first use. */
class FunctionTool<R> implements Tool<R> {
  readonly name: string;
  private shape: ToolShape | undefined;

  constructor(
    private readonly fn: (...args: unknown[]) => R | Promise<R>,
    private readonly sources: ShapeSources,
  ) {
    this.name = sources.toolName;
    checkName(this.name, `tool '${this.name}'`);
    Object.defineProperty(this, TOOL_MARK, { value: true });
  }

  private resolved(): ToolShape {
    this.shape ??= resolveToolShape(this.sources);
    return this.shape;
  }

  get description(): string {
    return this.resolved().description;
  }

  get parameters(): JsonSchema {
    return this.resolved().parameters;
  }

  get params(): readonly string[] {
    return this.resolved().params;
  }

  async call(args: Readonly<Record<string, unknown>>, options?: ToolCallOptions): Promise<R> {
    const callId = newCallId();
    const ids = options?.toolCallId === undefined ? { callId } : { callId, toolCallId: options.toolCallId };
    emit('toolStart', { ...ids, tool: this.name, args });
    try {
      const validators = ensureValidators([this.resolved().parameters]);
      if (validators) await validators;
      const positional = await withJsonRepair(() => checkToolArgs(this.name, this.resolved(), args));
      const result = await this.run(positional);
      emit('toolEnd', { ...ids, tool: this.name, result });
      return result;
    } catch (error) {
      emit('toolEnd', { ...ids, tool: this.name, error });
      throw error;
    }
  }

  private async run(positional: unknown[]): Promise<R> {
    try {
      return await this.fn(...positional);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      const where = `tool '${this.name}'`;
      throw new DspyError('TOOL_ERROR', `${where} failed: ${msg}`, {
        cause: err,
        details: { where, fix: 'See the cause; the tool threw while running.', tool: this.name },
      });
    }
  }
}

/** True when `value` is a {@link Tool} made by {@link tool} or {@link toolsOf}, or any object of that shape. */
export function isTool(value: unknown): value is Tool {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as { [TOOL_MARK]?: unknown })[TOOL_MARK] === true) return true;
  const v = value as Partial<Record<keyof Tool, unknown>>;
  return typeof v.name === 'string' && typeof v.call === 'function' && typeof v.parameters === 'object';
}

/**
 * Makes a {@link Tool} of a plain function. Its argument schema comes from the build step
 * (`dspy-ts build` reads `tool(fn, ...)` calls), else from `opts.parameters`.
 *
 * @example
 * ```ts
 * /** Looks up a city's weather. *\/
 * function weather(city: string): string { return `sunny in ${city}`; }
 * const weatherTool = tool(weather, { desc: 'Current weather.' });
 * await weatherTool.call({ city: 'Paris' }); // 'sunny in Paris'
 * ```
 */
export function tool<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  opts: ToolFunctionOptions = {},
): Tool<Awaited<R>> {
  if (typeof fn !== 'function') {
    throw new DspyError('TOOL_ERROR', `tool(): expected a function, got ${typeof fn}.`, {
      details: { where: 'tool()', fix: 'Pass the function to expose: tool(search, { desc }).' },
    });
  }
  const toolName = opts.name ?? fn.name;
  if (!toolName) {
    throw new DspyError('TOOL_ERROR', 'tool(): an anonymous function needs a name.', {
      details: { where: 'tool()', fix: "Pass { name: 'search' } or use a named function." },
    });
  }
  const keys = [...new Set([opts.name, fn.name].filter((k): k is string => !!k))];
  return new FunctionTool<Awaited<R>>(fn as (...args: unknown[]) => Awaited<R>, {
    toolName,
    manifestKeys: keys,
    fn,
    ...(opts.desc !== undefined ? { desc: opts.desc } : {}),
    ...(opts.parameters !== undefined ? { parameters: opts.parameters } : {}),
  });
}

/** What `@Tool(opts?)` returns: a method decorator for both decorator modes. */
export type ToolDecorator = (...args: unknown[]) => undefined;

/**
 * Marks a method as a tool (TC39 and legacy decorators alike). Collect an object's tools,
 * bound to it, with {@link toolsOf}.
 *
 * @example
 * ```ts
 * class Library {
 *   /** Finds books by title. *\/
 *   @Tool() search(title: string): string[] { return []; }
 * }
 * const agent = new ReAct('question -> answer', { tools: toolsOf(new Library()) });
 * ```
 */
export const Tool = (opts?: ToolOptions): ToolDecorator => {
  return (...args: unknown[]) => recordToolMethod(args, opts);
};

/**
 * The `@Tool()` methods of `instance` (its class and base classes), each bound to it.
 *
 * @example
 * ```ts
 * const tools = toolsOf(new Library()); // [Tool 'search']
 * ```
 */
export function toolsOf(instance: object): Tool[] {
  const ctor = (instance as { constructor?: Function }).constructor;
  if (typeof instance !== 'object' || instance === null || typeof ctor !== 'function') {
    throw new DspyError('TOOL_ERROR', 'toolsOf(): expected an instance of a class with @Tool() methods.', {
      details: { where: 'toolsOf()', fix: 'Pass an object: toolsOf(new Library()).' },
    });
  }
  const classes = classChain(ctor).reverse();
  return toolMethodsOf(ctor).map((meta) => {
    const method = (instance as Record<string, unknown>)[meta.key];
    if (typeof method !== 'function') {
      throw new DspyError('TOOL_ERROR', `toolsOf(): ${ctor.name}.${meta.key} is not a method.`, {
        details: { where: `${ctor.name}.${meta.key}`, fix: 'Put @Tool() on methods only.' },
      });
    }
    const toolName = meta.toolName ?? meta.key;
    const keys = [...classes.map((c) => `${c.name}.${meta.key}`), ...(meta.toolName ? [meta.toolName] : [])];
    const paramTypes = designParamTypes(Object.getPrototypeOf(instance) as object, meta.key);
    return new FunctionTool((...args: unknown[]) => (method as Function).apply(instance, args), {
      toolName,
      manifestKeys: keys,
      fn: method as Function,
      ...(meta.desc !== undefined ? { desc: meta.desc } : {}),
      ...(paramTypes ? { paramTypes } : {}),
    });
  });
}
