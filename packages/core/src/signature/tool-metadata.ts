import { DspyError } from '../errors.js';
import { decoratorSite, legacyClassName, optionsProblem } from './decorator-args.js';
import { addPendingMisuse, registerMetadata, type ToolMeta } from './metadata.js';

/** Options a `@Tool()` decorator records (the decorator itself lives in the modules area). */
export interface ToolOptions {
  /** The name the model sees (default: the method name). */
  readonly name?: string;
  /** What the tool does (default: the method's JSDoc, from the manifest). */
  readonly desc?: string;
}

/**
 * Records a `@Tool()` method from the raw arguments of a method decorator, in either
 * decorator mode, through `registerMetadata`. Returns nothing (the method is not replaced);
 * read the records back with `toolMethodsOf(ctor)`.
 *
 * @example
 * ```ts
 * export const Tool = (opts?: ToolOptions) => (...args: unknown[]) => recordToolMethod(args, opts);
 * ```
 */
export function recordToolMethod(args: readonly unknown[], opts?: ToolOptions): undefined {
  const site = decoratorSite(args);
  const problem = ((): [string, string] | undefined => {
    if (site.mode === 'unknown' || site.kind !== 'method') {
      return [
        'decorates methods only.',
        'Put @Tool() on a method, or wrap a function with tool(fn, { name, desc }).',
      ];
    }
    if (typeof site.name === 'symbol')
      return ['a symbol-keyed method cannot be a tool.', 'Use a named method.'];
    return optionsProblem(opts, ['name', 'desc']);
  })();
  if (problem && site.mode === 'tc39' && site.kind !== 'class' && site.metadata) {
    addPendingMisuse(site.metadata, {
      decorator: '@Tool()',
      member: String(site.name),
      problem: problem[0],
      fix: problem[1],
    });
    return undefined;
  }
  const member =
    site.mode === 'legacy' && site.kind !== 'class'
      ? `${legacyClassName(site.target)}.${String(site.name)}`
      : 'this target';
  if (problem) {
    const where = `@Tool() on ${member}`;
    throw new DspyError('DECORATOR_MISUSE', `${where}: ${problem[0]}`, {
      details: { where, fix: problem[1] },
    });
  }
  if (site.mode === 'unknown' || site.kind === 'class') return undefined;
  const holder = site.mode === 'tc39' ? site.metadata : site.target;
  if (!holder) return undefined;
  const meta: ToolMeta = {
    key: String(site.name),
    ...(opts?.name !== undefined ? { toolName: opts.name } : {}),
    ...(opts?.desc !== undefined ? { desc: opts.desc } : {}),
  };
  registerMetadata(holder, { kind: 'tool', ...meta });
  return undefined;
}
