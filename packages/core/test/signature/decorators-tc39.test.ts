import { beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import {
  clearManifests,
  InputField,
  OutputField,
  Signature,
  signatureMethodsOf,
  specOf,
} from '../../src/signature/index.js';

// This file is compiled with TC39 standard decorators (the root tsconfig has no experimentalDecorators).

beforeEach(() => clearManifests());

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

describe('TC39 decorators', () => {
  it('really runs in TC39 mode (decorators receive a context object)', () => {
    let seen: unknown;
    const probe = (_value: undefined, context: ClassFieldDecoratorContext) => {
      seen = context.kind;
    };
    class Probe {
      @probe x!: string;
    }
    expect(new Probe()).toBeInstanceOf(Probe);
    expect(seen).toBe('field');
  });

  it('records roles, order, desc and prefix; instructions default to empty', () => {
    @Signature()
    class Primitive {
      @InputField({ desc: 'the question' }) question!: string;
      @OutputField({ prefix: 'Answer:' }) answer!: string;
      @InputField() context!: string;
    }
    expect(Primitive).toBeTypeOf('function');
    // No manifest and no design:type in TC39 mode: the error names class and field.
    const err = (() => {
      try {
        specOf(Primitive);
      } catch (e) {
        return e as DspyError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('SCHEMA_MISSING');
    expect(err?.message).toContain('Primitive.question');
    expect(err?.message).toContain('dspy-ts build');
  });

  it('uses opts.name and opts.instructions', () => {
    @Signature({ name: 'Renamed', instructions: 'Do it.' })
    class Original {
      @OutputField() out!: string;
    }
    expect(signatureMethodsOf(Original)).toEqual([]);
  });

  it('@Signature() on a class with no output field is an error naming the class', () => {
    const err = misuse(() => {
      @Signature()
      class NoOutputs {
        @InputField() question!: string;
      }
      return NoOutputs;
    });
    expect(err.message).toMatch(/^@Signature\(\) on NoOutputs: .*@OutputField/);
  });

  it('field misuses are reported with the class and field name', () => {
    const twice = misuse(() => {
      @Signature()
      class Twice {
        @InputField() @OutputField() label!: string;
      }
      return Twice;
    });
    expect(twice.message).toMatch(
      /^@InputField\(\) on Twice\.label: the property is already an output field/,
    );

    const badOpt = misuse(() => {
      @Signature()
      class Sentiment {
        // @ts-expect-error: 'description' is not an option
        @OutputField({ description: 'x' }) label!: string;
      }
      return Sentiment;
    });
    expect(badOpt.message).toMatch(
      /^@OutputField\(\) on Sentiment\.label: unknown option 'description' \(did you mean 'desc'\?\)/,
    );

    const nonString = misuse(() => {
      @Signature()
      class Sentiment {
        // @ts-expect-error: desc must be a string
        @OutputField({ desc: 3 }) label!: string;
      }
      return Sentiment;
    });
    expect(nonString.message).toContain("option 'desc' must be a string");

    const isStatic = misuse(() => {
      @Signature()
      class WithStatic {
        @InputField() static question: string;
        @OutputField() answer!: string;
      }
      return WithStatic;
    });
    expect(isStatic.message).toMatch(/^@InputField\(\) on WithStatic\.question: a static member/);

    const reserved = misuse(() => {
      @Signature()
      class Reserved {
        @OutputField() completed!: string;
      }
      return Reserved;
    });
    expect(reserved.message).toContain("'completed' cannot be a field name");
  });

  it('a field decorator on a method, or without parentheses, is an error', () => {
    const onMethod = misuse(() => {
      @Signature()
      class OnMethod {
        // @ts-expect-error: a field decorator on a method
        @InputField() run() {}
        @OutputField() answer!: string;
      }
      return OnMethod;
    });
    expect(onMethod.message).toMatch(/^@InputField\(\) on OnMethod\.run: decorates properties, not a method/);

    const bare = misuse(() => {
      @Signature()
      class Bare {
        // @ts-expect-error: the factory must be called
        @OutputField answer!: string;
      }
      return Bare;
    });
    expect(bare.message).toMatch(/^@OutputField on Bare\.answer: is a decorator factory/);
    expect(bare.details.fix).toContain('@OutputField()');
  });

  it('@Signature misuse: without parentheses, bad options, on a field', () => {
    const bare = misuse(() => {
      // @ts-expect-error: the factory must be called
      @Signature
      class Bare {
        @OutputField() answer!: string;
      }
      return Bare;
    });
    expect(bare.message).toMatch(/^@Signature on Bare: is a decorator factory/);

    const badOpts = misuse(() => {
      // @ts-expect-error: unknown option
      @Signature({ instruction: 'x' })
      class BadOpts {
        @OutputField() answer!: string;
      }
      return BadOpts;
    });
    expect(badOpts.message).toMatch(/^@Signature\(\) on BadOpts: unknown option 'instruction'/);

    const onField = misuse(() => {
      class Holder {
        // @ts-expect-error: not a field decorator
        @Signature() answer!: string;
      }
      return specOf(Holder);
    });
    expect(onField.message).toMatch(
      /^@Signature\(\) on Holder\.answer: decorates a class or a method, not a field/,
    );
  });

  it('rejects private, symbol-keyed and non-object options, and decorators on classes', () => {
    const priv = misuse(() => {
      @Signature()
      class Priv {
        @InputField() #question!: string;
        @OutputField() answer!: string;
        read() {
          return this.#question;
        }
      }
      return Priv;
    });
    expect(priv.message).toMatch(/^@InputField\(\) on Priv\.#question: a private \(#\) member/);

    const key = Symbol('k');
    const sym = misuse(() => {
      @Signature()
      class Sym {
        @InputField() [key]!: string;
        @OutputField() answer!: string;
      }
      return Sym;
    });
    expect(sym.message).toMatch(/^@InputField\(\) on Sym\.Symbol\(k\): a symbol-keyed member/);

    const stringOpts = misuse(() => {
      @Signature()
      class StringOpts {
        // @ts-expect-error: options must be an object
        @OutputField('the answer') answer!: string;
      }
      return StringOpts;
    });
    expect(stringOpts.message).toContain('expected an options object, got string');

    const onClass = misuse(() => {
      // @ts-expect-error: a field decorator on a class
      @InputField()
      class OnClass {}
      return OnClass;
    });
    expect(onClass.message).toMatch(/^@InputField\(\) on OnClass: decorates properties, not a class/);

    const badName = misuse(() => {
      @Signature({ name: 'not a name' })
      class BadName {
        @OutputField() answer!: string;
      }
      return BadName;
    });
    expect(badName.message).toContain("name 'not a name' is not an identifier");
  });

  it('a TC39 misuse without @Signature on the class is thrown on the first instance', () => {
    class Plain {
      // @ts-expect-error: not a field decorator
      @Signature() answer!: string;
    }
    expect(() => new Plain()).toThrow(/@Signature\(\) on Plain\.answer/);
  });
});
