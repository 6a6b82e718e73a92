import { DspyError } from '../errors.js';
import type { SignatureSpec } from '../signature/spec.js';

/** What went wrong while reading one completion. */
export interface ParseProblem {
  /** One sentence: what is wrong. */
  readonly problem: string;
  /** Output fields the completion did contain. */
  readonly found: readonly string[];
  /** The field that failed, when one did. */
  readonly field?: string;
}

/**
 * The `ADAPTER_PARSE` error: names the adapter, the expected and found fields, and carries
 * the raw completion in `details.raw`.
 */
export function parseError(
  adapter: string,
  spec: SignatureSpec<object, object>,
  completion: string,
  { problem, found, field }: ParseProblem,
): DspyError {
  const expected = spec.outputs.map((f) => f.name);
  const where = `${adapter} on signature ${spec.name}${field ? `, output field '${field}'` : ''}`;
  return new DspyError(
    'ADAPTER_PARSE',
    `${adapter} could not parse the completion for signature ${spec.name}: ${problem}. ` +
      `Expected output fields: ${expected.join(', ')}; found: ${found.length ? found.join(', ') : '(none)'}.`,
    {
      details: {
        where,
        fix: 'Clarify the instructions or field descriptions, add demos, or use a stronger model; the raw completion is in error.details.raw.',
        adapter,
        signature: spec.name,
        expected,
        found: [...found],
        ...(field ? { field } : {}),
        raw: completion,
      },
    },
  );
}

/** The `LM_EMPTY` error for a completion with no text at all. */
export function emptyCompletionError(adapter: string, spec: SignatureSpec<object, object>): DspyError {
  return new DspyError('LM_EMPTY', `${adapter} got an empty completion for signature ${spec.name}.`, {
    details: {
      where: `${adapter} on signature ${spec.name}`,
      fix: 'Check the finish reason: `length` means maxTokens is too small (reasoning models spend tokens before answering); `content_filter` means the provider withheld the answer.',
      adapter,
      signature: spec.name,
      expected: spec.outputs.map((f) => f.name),
      found: [],
      raw: '',
    },
  });
}
