import { DspyError } from '../errors.js';
import { SignatureSpec } from './spec.js';
import { parseSignatureString } from './string-parser.js';
import type { ParseSignature } from './string-types.js';

/** Options of {@link signature}. */
export interface StringSignatureOptions {
  /** The task, rendered in the system prompt (default: none; the adapter renders DSPy's default). */
  readonly instructions?: string;
  /** The spec's name (default `StringSignature`, as in DSPy). */
  readonly name?: string;
}

const cache = new Map<string, SignatureSpec<object, object>>();
const CACHE_LIMIT = 512;

/**
 * A signature from a string: `'inputs -> outputs'`, fields `name: type` separated by commas.
 * Types: string, number, integer, boolean, `T[]`, literal unions (`'a' | 'b'`); `name?` is
 * optional; a name without a type is a string. Typed at compile time from the literal.
 *
 * @example
 * ```ts
 * const qa = signature('question: string, context: string[] -> answer: string, score: number');
 * // SignatureSpec<{ question: string; context: string[] }, { answer: string; score: number }>
 * ```
 */
export function signature<const S extends string>(
  text: S,
  opts: StringSignatureOptions = {},
): ParseSignature<S> {
  if (typeof opts !== 'object' || opts === null) {
    throw new DspyError('SIGNATURE_INVALID', 'signature(): options must be an object.', {
      details: { where: 'signature()', fix: 'Pass { instructions, name } or nothing.' },
    });
  }
  const key = JSON.stringify([text, opts.instructions ?? '', opts.name ?? '']);
  let spec = cache.get(key);
  if (!spec) {
    const { inputs, outputs } = parseSignatureString(text);
    spec = new SignatureSpec({
      name: opts.name ?? 'StringSignature',
      instructions: opts.instructions ?? '',
      inputs,
      outputs,
    });
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, spec);
  }
  return spec as ParseSignature<S>;
}
