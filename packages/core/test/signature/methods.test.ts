import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import {
  clearManifests,
  registerManifest,
  Signature,
  setMethodRunner,
  signatureMethodsOf,
  specOf,
} from '../../src/signature/index.js';
import { paramNamesOf } from '../../src/signature/param-names.js';
import type { SignatureSpec } from '../../src/signature/spec.js';
import { manifestOf, mentry, mfield, STRING } from './helpers.js';

// TC39 standard decorators (the root tsconfig has no experimentalDecorators).

class Service {
  constructor(readonly tag = 'svc') {}

  /** Classify a message. */
  @Signature({ instructions: 'Classify the message.' })
  async classify(text: string, lang = 'en'): Promise<{ label: 'bug' | 'question' }> {
    throw new Error(`replaced by the decorator (${text}, ${lang})`);
  }

  plain(): string {
    return this.tag;
  }
}

class SubService extends Service {}

const classifyEntry = mentry(
  'Service.classify',
  [mfield('text', 'string', STRING), mfield('lang', 'string', STRING, { optional: true })],
  [mfield('label', "'bug' | 'question'", { type: 'string', enum: ['bug', 'question'] })],
  { kind: 'method', instructions: 'Classify a message.' },
);

function caught(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    return e as DspyError;
  }
  throw new Error('expected a DspyError');
}

beforeEach(() => clearManifests());
afterEach(() => setMethodRunner(undefined));

describe('@Signature() on a method', () => {
  it('builds the spec from the manifest: parameters in, return properties out', () => {
    registerManifest(manifestOf(classifyEntry));
    const spec = specOf(Service, 'classify');
    expect(spec.name).toBe('Service.classify');
    expect(spec.instructions).toBe('Classify the message.');
    expect(spec.inputs.map((f) => [f.name, f.optional ?? false])).toEqual([
      ['text', false],
      ['lang', true],
    ]);
    expect(spec.outputs.map((f) => f.name)).toEqual(['label']);
    expect(specOf(Service.prototype.classify)).toBe(spec);
  });

  it('lists signature methods on the class and its subclasses', () => {
    const [m] = signatureMethodsOf(SubService);
    expect(signatureMethodsOf(SubService)).toHaveLength(1);
    expect(m?.name).toBe('classify');
    expect(m?.owner).toBe(Service);
    expect(m?.options).toEqual({ instructions: 'Classify the message.' });
    expect(m?.method).toBe(Service.prototype.classify);
  });

  it('calls the installed runner with the instance, name, spec and arguments', async () => {
    registerManifest(manifestOf(classifyEntry));
    const calls: [object, string, SignatureSpec<object, object>, unknown[]][] = [];
    setMethodRunner(async (self, name, spec, args) => {
      calls.push([self, name, spec, args]);
      return { label: 'bug' };
    });
    const svc = new SubService('x');
    await expect(svc.classify('it crashes')).resolves.toEqual({ label: 'bug' });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[0]).toBe(svc);
    expect(calls[0]?.[1]).toBe('classify');
    expect(calls[0]?.[2].name).toBe('Service.classify');
    expect(calls[0]?.[3]).toEqual(['it crashes']);
    expect(svc.plain()).toBe('x');
  });

  it('rejects with MODULE_INVALID when no runner is installed', async () => {
    registerManifest(manifestOf(classifyEntry));
    const err = await new Service().classify('a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('MODULE_INVALID');
    expect((err as DspyError).message).toContain('Service.classify() is a @Signature() method');
  });

  it('without a manifest, reads parameter names and asks for the build step', () => {
    const err = caught(() => specOf(Service, 'classify'));
    expect(err.code).toBe('SCHEMA_MISSING');
    expect(err.details).toMatchObject({ signature: 'Service.classify', field: 'text' });
  });

  it('detects a stale manifest entry (parameters changed)', () => {
    registerManifest(manifestOf({ ...classifyEntry, inputs: [mfield('message', 'string', STRING)] }));
    const err = caught(() => specOf(Service, 'classify'));
    expect(err.code).toBe('MANIFEST_STALE');
    expect(err.details.fields).toEqual([
      'text (input in the code, absent from the manifest)',
      'lang (input in the code, absent from the manifest)',
      'message (input in the manifest, absent from the code)',
    ]);
  });

  it('finds the declaring class of a TC39 method from the manifest or the first instance', () => {
    class Late {
      @Signature()
      async summarize(doc: string): Promise<{ summary: string }> {
        throw new Error(doc);
      }
    }
    expect(caught(() => specOf(Late.prototype.summarize)).message).toContain('its class is not known yet');
    const entry = mentry(
      'Late.summarize',
      [mfield('doc', 'string', STRING)],
      [mfield('summary', 'string', STRING)],
      {
        kind: 'method',
      },
    );
    registerManifest(manifestOf(entry));
    expect(specOf(Late.prototype.summarize).name).toBe('Late.summarize');
    expect(new Late()).toBeInstanceOf(Late);
  });

  it('reports method misuses with the class name', () => {
    const onStatic = caught(() => {
      class WithStatic {
        @Signature()
        static async run(x: string): Promise<{ y: string }> {
          throw new Error(x);
        }
      }
      return signatureMethodsOf(WithStatic);
    });
    expect(onStatic.code).toBe('DECORATOR_MISUSE');
    expect(onStatic.message).toMatch(
      /^@Signature\(\) on WithStatic\.run: a static member cannot be a signature/,
    );

    const badOpts = caught(() => {
      class BadOpts {
        // @ts-expect-error: instructions must be a string
        @Signature({ instructions: 1 })
        async run(x: string): Promise<{ y: string }> {
          throw new Error(x);
        }
      }
      return new BadOpts();
    });
    expect(badOpts.message).toMatch(
      /^@Signature\(\) on BadOpts\.run: option 'instructions' must be a string/,
    );

    class Bare {
      // @ts-expect-error: the factory must be called
      @Signature
      async run(x: string): Promise<{ y: string }> {
        return { y: x };
      }
    }
    expect(() => new Bare()).toThrow(/^@Signature on Bare\.run: is a decorator factory/);
    expect(() => signatureMethodsOf(Bare)).toThrow(/Write @Signature\(\)/);
  });
});

describe('parameter names from source text', () => {
  it('reads names, defaults and rest parameters, skipping comments and strings', () => {
    function f(a: number, /* b, c */ b = [1, 2], c = 'x,y)', ...rest: unknown[]) {
      return [a, b, c, rest];
    }
    expect(paramNamesOf(f, 'f')).toEqual([
      { name: 'a', hasDefault: false, rest: false },
      { name: 'b', hasDefault: true, rest: false },
      { name: 'c', hasDefault: true, rest: false },
      { name: 'rest', hasDefault: false, rest: true },
    ]);
    expect(paramNamesOf(async () => 1, 'g')).toEqual([]);
  });

  it('rejects destructured parameters', () => {
    function g({ a }: { a: string }) {
      return a;
    }
    const err = caught(() => paramNamesOf(g, 'Svc.g'));
    expect(err.code).toBe('SIGNATURE_INVALID');
    expect(err.message).toContain('has no name (destructuring)');
  });
});
