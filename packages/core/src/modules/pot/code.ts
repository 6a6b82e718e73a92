import type { SignatureSpec } from '../../signature/spec.js';
import type { SandboxResult } from './sandbox.js';

const FENCE = /```[ \t]*(?:javascript|js|typescript|ts)?[ \t]*\r?\n([\s\S]*?)```/i;

/** The code in a model's answer: the first fenced block if there is one, else the whole text. @internal */
export function extractCode(text: string): string {
  const fenced = FENCE.exec(text);
  return (fenced ? (fenced[1] ?? '') : text).trim();
}

/** A sandbox result as the `answer` predictor reads it: printed lines, then the final value. @internal */
export function resultText(result: SandboxResult): string {
  const value =
    result.value === undefined
      ? undefined
      : typeof result.value === 'string'
        ? result.value
        : JSON.stringify(result.value);
  const output = result.truncated ? `${result.output}\n(output cut)` : result.output;
  if (value !== undefined && result.valueTruncated) {
    return `${output ? `${output}\n` : ''}Result (cut after ${value.length} characters): ${value}`;
  }
  if (output && value !== undefined) return `${output}\nResult: ${value}`;
  return output || value || '(the code printed nothing and returned no value)';
}

function names(fields: readonly { name: string }[]): string {
  return fields.map((f) => `\`${f.name}\``).join(', ');
}

/** Instructions of the `generate` and `regenerate` predictors. @internal */
export function codeInstructions(spec: SignatureSpec<object, object>, retry: boolean): string {
  const lines: string[] = [];
  if (spec.instructions) lines.push(spec.instructions, '');
  lines.push(
    `You are given ${names(spec.inputs)}. Write JavaScript that computes what is needed to produce ${names(spec.outputs)}.`,
    'The inputs are available in the code as the global object `inputs` (for example `inputs.' +
      (spec.inputs[0]?.name ?? 'question') +
      '`).',
    'The code runs in a sandbox with plain JavaScript only: no modules, require, network, files or timers.',
    'Print intermediate values with console.log, and end the code with an expression whose value is the result.',
    'Write only the code in `code`, without explanations.',
  );
  if (retry) {
    lines.push('', 'An earlier attempt, `previousCode`, failed with `error`. Write corrected code.');
  }
  return lines.join('\n');
}

/** Instructions of the `answer` predictor. @internal */
export function answerInstructions(spec: SignatureSpec<object, object>): string {
  const lines: string[] = [];
  if (spec.instructions) lines.push(spec.instructions, '');
  lines.push(
    `Produce ${names(spec.outputs)} from ${names(spec.inputs)}, using \`finalCode\` (JavaScript written for this task) and \`codeOutput\` (what it printed and returned).`,
  );
  return lines.join('\n');
}
