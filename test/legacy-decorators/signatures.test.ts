import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../packages/core/src/errors.js';
import {
  clearManifests,
  InputField,
  OutputField,
  registerManifest,
  Signature,
  setMethodRunner,
  signatureMethodsOf,
  specOf,
} from '../../packages/core/src/signature/index.js';
import { manifestOf, mentry, mfield, STRING, STRINGS } from '../../packages/core/test/signature/helpers.js';

// Compiled with experimentalDecorators (see mode.test.ts). esbuild emits no design:type, so
// every schema here comes from a manifest; design-type.test.ts covers tsc's emitted metadata.

beforeEach(() => clearManifests());
afterEach(() => setMethodRunner(undefined));

function misuse(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    expect((e as DspyError).code).toBe('DECORATOR_MISUSE');
    return e as DspyError;
  }
  throw new Error('expected a DECORATOR_MISUSE error');
}

@Signature({ instructions: 'Answer with a short factoid.' })
class QA {
  @InputField({ desc: 'the question' }) question!: string;
  @InputField() context!: string[];
  @OutputField({ prefix: 'Answer:' }) answer!: string;
}

class Service {
  @Signature()
  async classify(text: string): Promise<{ label: string }> {
    throw new Error(text);
  }
}

describe('legacy decorators', () => {
  it('build the same spec as TC39 ones: order, roles, desc, prefix, manifest schemas', () => {
    registerManifest(
      manifestOf(
        mentry(
          'QA',
          [mfield('question', 'string', STRING), mfield('context', 'string[]', STRINGS)],
          [mfield('answer', 'string', STRING)],
        ),
      ),
    );
    const spec = specOf(QA);
    expect(spec.instructions).toBe('Answer with a short factoid.');
    expect(spec.inputs.map((f) => f.name)).toEqual(['question', 'context']);
    expect(spec.inputs[0]?.description).toBe('the question');
    expect(spec.outputs[0]).toEqual({
      name: 'answer',
      typeText: 'string',
      schema: STRING,
      prefix: 'Answer:',
    });
  });

  it('know the class of a method at once and call the runner', async () => {
    registerManifest(
      manifestOf(
        mentry('Service.classify', [mfield('text', 'string', STRING)], [mfield('label', 'string', STRING)], {
          kind: 'method',
        }),
      ),
    );
    expect(specOf(Service.prototype.classify).name).toBe('Service.classify');
    expect(signatureMethodsOf(Service).map((m) => [m.name, m.owner])).toEqual([['classify', Service]]);
    setMethodRunner(async (_self, name, spec, args) => ({
      label: `${name}:${spec.inputs[0]?.name}:${String(args[0])}`,
    }));
    await expect(new Service().classify('hi')).resolves.toEqual({ label: 'classify:text:hi' });
  });

  it('throw misuse errors at once, naming decorator, class and member', () => {
    const twice = misuse(() => {
      class Sentiment {
        @InputField() @OutputField() label!: string;
      }
      return Sentiment;
    });
    expect(twice.message).toMatch(
      /^@InputField\(\) on Sentiment\.label: the property is already an output field/,
    );

    const badOpt = misuse(() => {
      class Sentiment {
        // @ts-expect-error: 'description' is not an option
        @OutputField({ description: 'x' }) label!: string;
      }
      return Sentiment;
    });
    expect(badOpt.message).toMatch(/^@OutputField\(\) on Sentiment\.label: unknown option 'description'/);

    const onMethod = misuse(() => {
      class OnMethod {
        // @ts-expect-error: a field decorator on a method
        @InputField() run() {}
      }
      return OnMethod;
    });
    expect(onMethod.message).toMatch(/^@InputField\(\) on OnMethod\.run: decorates properties, not a method/);

    const onStatic = misuse(() => {
      class WithStatic {
        @OutputField() static label: string;
      }
      return WithStatic;
    });
    expect(onStatic.message).toMatch(/^@OutputField\(\) on WithStatic\.label: a static member/);

    const bare = misuse(() => {
      class Bare {
        // @ts-expect-error: the factory must be called
        @OutputField answer!: string;
      }
      return Bare;
    });
    expect(bare.message).toMatch(/^@OutputField on Bare\.answer: is a decorator factory/);

    const noOutputs = misuse(() => {
      @Signature()
      class NoOutputs {
        @InputField() q!: string;
      }
      return NoOutputs;
    });
    expect(noOutputs.message).toMatch(
      /^@Signature\(\) on NoOutputs: the class has no @OutputField\(\) property/,
    );

    const onGetter = misuse(() => {
      class WithGetter {
        // @ts-expect-error: not a method or class
        @Signature()
        get value(): string {
          return 'x';
        }
      }
      return WithGetter;
    });
    const onParam = misuse(() => {
      class WithParam {
        run(
          // @ts-expect-error: not a parameter decorator
          @InputField() x: string,
        ) {
          return x;
        }
      }
      return WithParam;
    });
    expect(onParam.message).toMatch(
      /^@InputField\(\) on WithParam\.run: decorates properties, not a parameter/,
    );

    expect(onGetter.message).toMatch(
      /^@Signature\(\) on WithGetter\.value: decorates a class or a method, not a getter/,
    );
  });
});
