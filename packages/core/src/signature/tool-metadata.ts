import { decoratorSite, optionsProblem } from './decorator-args.js';
import { memberProblem, report } from './decorator-report.js';
import { registerMetadata, type ToolMeta } from './metadata.js';

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
  if (site.mode === 'unknown' || site.kind !== 'method') {
    const kind = site.mode === 'unknown' ? 'this target' : `a ${site.kind}`;
    return report(
      '@Tool()',
      site,
      `decorates methods, not ${kind}.`,
      'Wrap a function with tool(fn, { name, desc }).',
    );
  }
  const problem = memberProblem(site, 'a tool') ?? optionsProblem(opts, ['name', 'desc']);
  if (problem) return report('@Tool()', site, ...problem);
  const meta: ToolMeta = {
    key: String(site.name),
    ...(opts?.name !== undefined ? { toolName: opts.name } : {}),
    ...(opts?.desc !== undefined ? { desc: opts.desc } : {}),
  };
  const holder = site.mode === 'tc39' ? site.metadata : site.target;
  if (holder) registerMetadata(holder, { kind: 'tool', ...meta });
  return undefined;
}
