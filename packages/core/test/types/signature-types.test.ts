import {
  InputField,
  type InputsOf,
  OutputField,
  type OutputsOf,
  Signature,
  type SignatureSpec,
  type SignatureTarget,
  signature,
  specOf,
} from '@dspy-ts/core';
import { describe, expectTypeOf, it } from 'vitest';

// A hand-made augmentation with the shape `dspy-ts build` emits.
declare module '@dspy-ts/core' {
  interface SignatureRegistry {
    TypedQA: { target: typeof TypedQA; inputs: 'question' | 'context'; outputs: 'answer' | 'score' };
  }
}

@Signature()
class TypedQA {
  @InputField() question!: string;
  @InputField() context?: string[];
  @OutputField() answer!: string;
  @OutputField() score!: number;
}

@Signature()
class Unregistered {
  @InputField() text!: string;
  @OutputField() label!: 'a' | 'b';
}

describe('string signatures at the type level', () => {
  it('parses names, types, whitespace, arrays, unions and optional fields', () => {
    const s = signature('question: string -> answer: string, score: number');
    expectTypeOf(s).toEqualTypeOf<SignatureSpec<{ question: string }, { answer: string; score: number }>>();
    expectTypeOf<InputsOf<'  question :string,\n context: string[] ->answer'>>().toEqualTypeOf<{
      question: string;
      context: string[];
    }>();
    expectTypeOf<
      OutputsOf<"q -> label: 'pos' | 'neg', tags?: ('x' | 'y')[], n: integer, ok: boolean">
    >().toEqualTypeOf<{
      label: 'pos' | 'neg';
      n: number;
      ok: boolean;
      tags?: ('x' | 'y')[];
    }>();
    expectTypeOf<OutputsOf<"q -> pick: 'a, b' | 'c|d', list: Array<'x' | 'y'>">>().toEqualTypeOf<{
      pick: 'a, b' | 'c|d';
      list: ('x' | 'y')[];
    }>();
    expectTypeOf<OutputsOf<'q -> grid: number[][], levels: 1 | 2, words: list[str]'>>().toEqualTypeOf<{
      grid: number[][];
      levels: 1 | 2;
      words: string[];
    }>();
  });

  it('falls back where it cannot read the string', () => {
    expectTypeOf<InputsOf<string>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<OutputsOf<'no arrow here'>>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<OutputsOf<'q -> weird: Set<string>'>>().toEqualTypeOf<{ weird: unknown }>();
    expectTypeOf<InputsOf<'-> joke'>>().toEqualTypeOf<Record<never, never>>();
  });

  it('rejects mistyped values', () => {
    const inputs: InputsOf<'question: string, k: number -> answer'> = { question: 'q', k: 1 };
    // @ts-expect-error: k must be a number
    const bad: InputsOf<'question: string, k: number -> answer'> = { question: 'q', k: '1' };
    // @ts-expect-error: question is required
    const missing: InputsOf<'question: string -> answer'> = {};
    expectTypeOf(inputs.k).toEqualTypeOf<number>();
    void bad;
    void missing;
  });
});

describe('class signatures at the type level', () => {
  it('picks inputs and outputs from the registry entry; optional stays optional', () => {
    expectTypeOf<InputsOf<typeof TypedQA>>().toEqualTypeOf<{ question: string; context?: string[] }>();
    expectTypeOf<OutputsOf<typeof TypedQA>>().toEqualTypeOf<{ answer: string; score: number }>();
    // @ts-expect-error: question is required
    const noQuestion: InputsOf<typeof TypedQA> = { context: [] };
    // @ts-expect-error: answer is an output, not an input
    const withAnswer: InputsOf<typeof TypedQA> = { question: 'q', answer: 'a' };
    void noQuestion;
    void withAnswer;
  });

  it('falls back to all public instance properties for an unregistered class', () => {
    expectTypeOf<InputsOf<typeof Unregistered>>().toEqualTypeOf<Unregistered>();
    expectTypeOf<OutputsOf<typeof Unregistered>>().toHaveProperty('label').toEqualTypeOf<'a' | 'b'>();
  });

  it('types specOf for classes, strings, specs, predictors and methods', () => {
    // Not called: TypedQA has no registered manifest here, only its type is checked.
    const ofClass = () => specOf(TypedQA);
    expectTypeOf(ofClass).returns.toEqualTypeOf<
      SignatureSpec<{ question: string; context?: string[] }, { answer: string; score: number }>
    >();
    expectTypeOf(specOf('a: number -> b: boolean')).toEqualTypeOf<
      SignatureSpec<{ a: number }, { b: boolean }>
    >();
    const spec = signature('a -> b');
    expectTypeOf(specOf(spec)).toEqualTypeOf<SignatureSpec<{ a: string }, { b: string }>>();
    const predictor = { isPredictor: true as const, signature: spec };
    expectTypeOf<InputsOf<typeof predictor>>().toEqualTypeOf<{ a: string }>();
    class Service {
      @Signature()
      async classify(text: string): Promise<{ label: 'x' | 'y' }> {
        throw new Error(text);
      }
    }
    const ofMethod = () => specOf(Service, 'classify');
    expectTypeOf(ofMethod).returns.toEqualTypeOf<
      SignatureSpec<Record<string, unknown>, { label: 'x' | 'y' }>
    >();
    // @ts-expect-error: not a method of Service
    const notAMethod = () => specOf(Service, 'nope');
    void notAMethod;
    type Method = (text: string) => Promise<{ label: 'x' | 'y' }>;
    expectTypeOf<OutputsOf<Method>>().toEqualTypeOf<{ label: 'x' | 'y' }>();
  });

  it('SignatureTarget accepts classes, strings and specs only', () => {
    expectTypeOf<typeof TypedQA>().toExtend<SignatureTarget>();
    expectTypeOf<'a -> b'>().toExtend<SignatureTarget>();
    expectTypeOf(signature('a -> b')).toExtend<SignatureTarget>();
    expectTypeOf<number>().not.toExtend<SignatureTarget>();
    expectTypeOf<{ question: string }>().not.toExtend<SignatureTarget>();
  });
});
