import { type Schema, Validator } from '@cfworker/json-schema';

/** One problem found by {@link interpretedValidator}: where in the value, and what is wrong. */
export interface InterpretedProblem {
  /** A JSON Pointer into the value (`''` for the value itself). */
  readonly path: string;
  readonly keyword: string;
  readonly message: string;
}

/**
 * A JSON Schema validator that interprets the schema instead of compiling it to a function:
 * for runtimes that forbid code generation from strings (Cloudflare Workers, a page whose
 * Content-Security-Policy lacks `unsafe-eval`), where ajv cannot compile. Used only there;
 * ajv stays the validator everywhere else. @internal
 */
export function interpretedValidator(
  schema: object,
  draft: '7' | '2020-12',
): (value: unknown) => InterpretedProblem[] {
  const validator = new Validator(schema as Schema, draft, false);
  return (value) => {
    const result = validator.validate(value);
    if (result.valid) return [];
    return result.errors.map((e) => ({
      path: e.instanceLocation.replace(/^#/, ''),
      keyword: e.keyword,
      message: e.error,
    }));
  };
}

/** True when `err` is a refusal to generate code from strings (ajv's `new Function`). @internal */
export function isCodegenRefused(err: unknown): boolean {
  return (
    err instanceof EvalError || (err instanceof Error && /code generation from strings/i.test(err.message))
  );
}
