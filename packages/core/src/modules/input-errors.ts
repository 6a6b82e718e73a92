import { type FieldProblem, MISSING } from '../data/field-check.js';
import { DspyError } from '../errors.js';
import type { SignatureSpec } from '../signature/spec.js';

function line(p: FieldProblem): string {
  return p.problem === MISSING
    ? `missing required input '${p.field}'`
    : `input '${p.field}' ${p.problem} (expected ${p.expected})`;
}

/**
 * The `INPUT_INVALID` error for inputs that do not fit a signature: every problem at once,
 * naming the module, the signature, each field and the type it expects.
 */
export function inputsInvalid(
  who: string,
  spec: SignatureSpec<object, object>,
  problems: readonly FieldProblem[],
): DspyError {
  const lines = problems.map(line);
  const message =
    lines.length === 1
      ? `${who}: ${lines[0]}.`
      : `${who}: ${lines.length} inputs are invalid:\n  - ${lines.join('\n  - ')}`;
  const expected = spec.inputs.map((f) => `${f.name}${f.optional ? '?' : ''}: ${f.typeText}`).join(', ');
  return new DspyError('INPUT_INVALID', message, {
    details: {
      where: problems.length === 1 ? `${who}.${problems[0]?.field}` : who,
      signature: spec.name,
      field: problems[0]?.field,
      problems,
      fix: `Pass the inputs of ${spec.name} with their declared types: { ${expected} }.`,
    },
  });
}
