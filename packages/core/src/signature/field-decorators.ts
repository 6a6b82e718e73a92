import { copyOptions, decoratorSite, looksLikeDecoratorArgs, optionsProblem } from './decorator-args.js';
import { memberProblem, report } from './decorator-report.js';
import { type FieldOptions, META, registerMetadata } from './metadata.js';

/** A property decorator usable in both decorator modes. */
export interface FieldDecorator {
  (value: undefined, context: ClassFieldDecoratorContext): void;
  (target: object, propertyKey: string | symbol, descriptor?: undefined): void;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'completed']);

function fieldDecorator(
  decorator: string,
  role: 'input' | 'output',
  opts: unknown,
  rest: unknown[],
): FieldDecorator {
  if (looksLikeDecoratorArgs(opts, rest)) {
    const site = decoratorSite([opts, ...rest]);
    const bare = decorator.replace('()', '');
    report(
      bare,
      site,
      'is a decorator factory and must be called.',
      `Write ${decorator} (with parentheses).`,
    );
    // Used as the decorator itself (TC39, error kept for later): return nothing, replace nothing.
    return undefined as unknown as FieldDecorator;
  }
  return ((...args: unknown[]) => {
    const site = decoratorSite(args);
    if (site.mode === 'unknown' || site.kind !== 'field') {
      const kind = site.mode === 'unknown' ? 'this target' : `a ${site.kind}`;
      report(
        decorator,
        site,
        `decorates properties, not ${kind}.`,
        'Put it on an instance property of a @Signature() class.',
      );
      return;
    }
    const problem = memberProblem(site, 'a signature field');
    if (problem) return void report(decorator, site, ...problem);
    const key = String(site.name);
    if (!FIELD_NAME.test(key) || RESERVED.has(key)) {
      return void report(
        decorator,
        site,
        `'${key}' cannot be a field name.`,
        'Rename the property (letters, digits, _; not completed).',
      );
    }
    const holder = site.mode === 'tc39' ? site.metadata : site.target;
    if (!holder) {
      return void report(
        decorator,
        site,
        'Symbol.metadata is missing.',
        'Import @dspy-ts/core before declaring signature classes.',
      );
    }
    const bad = optionsProblem(opts, ['desc', 'prefix']);
    if (bad) return void report(decorator, site, ...bad);
    const options = copyOptions<FieldOptions>(opts);
    const own =
      (Reflect.getOwnMetadata(META.fields.id, holder) as { key: string; role: string }[] | undefined) ?? [];
    const dup = own.find((f) => f.key === key);
    if (dup) {
      return void report(
        decorator,
        site,
        `the property is already an ${dup.role} field.`,
        'Use one field decorator per property.',
      );
    }
    registerMetadata(holder, { kind: 'field', key, role, ...options });
  }) as FieldDecorator;
}

/**
 * Marks a property of a `@Signature()` class as an input field.
 *
 * @example
 * ```ts
 * @InputField({ desc: 'the question to answer' }) question!: string;
 * ```
 */
export function InputField(opts?: FieldOptions): FieldDecorator;
export function InputField(opts?: unknown, ...rest: unknown[]): FieldDecorator {
  return fieldDecorator('@InputField()', 'input', opts, rest);
}

/**
 * Marks a property of a `@Signature()` class as an output field.
 *
 * @example
 * ```ts
 * @OutputField({ desc: 'often between 1 and 5 words' }) answer!: string;
 * ```
 */
export function OutputField(opts?: FieldOptions): FieldDecorator;
export function OutputField(opts?: unknown, ...rest: unknown[]): FieldDecorator {
  return fieldDecorator('@OutputField()', 'output', opts, rest);
}
