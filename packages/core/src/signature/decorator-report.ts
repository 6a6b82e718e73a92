import { DspyError } from '../errors.js';
import { type DecoratorSite, legacyClassName } from './decorator-args.js';
import { addPendingMisuse, throwPendingMisuse } from './metadata.js';

/** How decorators report misuse: naming the decorator, the class and the member. */

/** Names the place a decorator was applied (`QA.question`, `field 'question'`). */
export function siteName(site: DecoratorSite): string {
  switch (site.mode) {
    case 'unknown':
      return 'an unsupported target';
    case 'tc39':
      return site.kind === 'class' ? site.ctor.name || '(anonymous class)' : `.${String(site.name)}`;
    case 'legacy':
      return site.kind === 'class'
        ? site.ctor.name || '(anonymous class)'
        : `${legacyClassName(site.target)}.${String(site.name)}`;
  }
}

/**
 * Reports a misuse. TC39 member decorators cannot see their class, so the error is kept on
 * the class's metadata and thrown, with the class name, by `@Signature()` on the class, on
 * the first instance, or by `specOf`.
 */
export function report(
  decorator: string,
  site: DecoratorSite,
  problem: string,
  fix: string,
): never | undefined {
  if (site.mode === 'tc39' && site.kind !== 'class' && site.metadata) {
    const pending = { decorator, member: String(site.name), problem, fix };
    addPendingMisuse(site.metadata, pending);
    site.addInitializer(function (this: unknown) {
      const ctor = typeof this === 'function' ? this : (this as { constructor: Function }).constructor;
      throwPendingMisuse(ctor);
    });
    return undefined;
  }
  const where = `${decorator} on ${siteName(site)}`;
  throw new DspyError('DECORATOR_MISUSE', `${where}: ${problem}`, { details: { where, fix } });
}

export function memberProblem(
  site: DecoratorSite & { kind: string },
  what: string,
): [string, string] | undefined {
  if (!('name' in site)) return undefined;
  if (typeof site.name === 'symbol')
    return [`a symbol-keyed member cannot be ${what}.`, 'Use a named member.'];
  if ('isPrivate' in site && site.isPrivate) {
    return [`a private (#) member cannot be ${what}.`, 'Use a public member.'];
  }
  if (site.isStatic) return [`a static member cannot be ${what}.`, 'Declare it as an instance member.'];
  return undefined;
}
