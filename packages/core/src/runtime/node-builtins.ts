import { DspyError, type DspyErrorCode } from '../errors.js';

/** The Node built-in modules core uses off its web-standard path, by specifier. */
interface NodeBuiltins {
  'node:async_hooks': typeof import('node:async_hooks');
  'node:crypto': typeof import('node:crypto');
  'node:events': typeof import('node:events');
  'node:fs': typeof import('node:fs');
  'node:fs/promises': typeof import('node:fs/promises');
  'node:http': typeof import('node:http');
  'node:https': typeof import('node:https');
  'node:module': typeof import('node:module');
  'node:os': typeof import('node:os');
  'node:path': typeof import('node:path');
  'node:url': typeof import('node:url');
  'node:worker_threads': typeof import('node:worker_threads');
  'node:zlib': typeof import('node:zlib');
}

type GetBuiltin = (id: string) => unknown;

/**
 * A Node built-in module where the runtime has one (Node, Bun, Deno, workerd with
 * `nodejs_compat`), else `undefined` (browsers). It is looked up with
 * `process.getBuiltinModule` when first needed, never imported, so that bundlers targeting the
 * web see no Node built-in and importing core loads none. @internal
 */
export function optionalNodeBuiltin<K extends keyof NodeBuiltins>(id: K): NodeBuiltins[K] | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  const get = proc?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  try {
    return (get.call(proc, id) ?? undefined) as NodeBuiltins[K] | undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Node built-in module that `feature` needs, or a `DspyError` with `code` saying that this
 * runtime lacks it and what to do instead (`fix`). @internal
 */
export function nodeBuiltin<K extends keyof NodeBuiltins>(
  id: K,
  feature: string,
  code: DspyErrorCode,
  fix: string,
): NodeBuiltins[K] {
  const mod = optionalNodeBuiltin(id);
  if (mod) return mod;
  throw new DspyError(code, `${feature} needs ${id}, which this JavaScript runtime does not provide.`, {
    details: { where: feature, fix },
  });
}

/**
 * True on Node itself (not Bun or Deno, which also set `process.versions.node`): core's Node-only
 * fast paths (its `node:http` transport) run only there. @internal
 */
export function isNode(): boolean {
  const g = globalThis as { process?: { versions?: { node?: unknown } }; Bun?: unknown; Deno?: unknown };
  return typeof g.process?.versions?.node === 'string' && g.Bun === undefined && g.Deno === undefined;
}

/** An environment variable where the runtime has `process.env` (Node, Bun, Deno), else `undefined`. @internal */
export function envVar(name: string): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  try {
    return env?.[name];
  } catch {
    // Deno without --allow-env throws on access.
    return undefined;
  }
}
