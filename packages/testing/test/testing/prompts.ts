import type { ChatMessage } from '@dspy-ts/core';

/** Hand-built ChatAdapter prompts in the exact text of CHAT_FORMAT.md. */
export const qaSystem = [
  'Your input fields are:',
  '1. `question` (string)',
  'Your output fields are:',
  '1. `answer` (string)',
  'All interactions will be structured in the following way, with the appropriate values filled in.',
  '',
  '[[ ## question ## ]]',
  '{question}',
  '',
  '[[ ## answer ## ]]',
  '{answer}',
  '',
  '[[ ## completed ## ]]',
  'In adhering to this structure, your objective is:',
  '        Answer the question.',
].join('\n');

/** The final user message for `question`. */
export function qaUser(question: string): string {
  return `[[ ## question ## ]]\n${question}\n\nRespond with the corresponding output fields, starting with the field \`[[ ## answer ## ]]\`, and then ending with the marker for \`[[ ## completed ## ]]\`.`;
}

/** System message of `text: string -> label: enum, confidence: number` with the given instructions. */
export function classifySystem(labels: readonly string[], instructions: readonly string[]): string {
  const list = labels.join('; ');
  return [
    'Your input fields are:',
    '1. `text` (string): the customer message',
    'Your output fields are:',
    `1. \`label\` (${labels.map((l) => `'${l}'`).join(' | ')})`,
    '2. `confidence` (number)',
    'All interactions will be structured in the following way, with the appropriate values filled in.',
    '',
    '[[ ## text ## ]]',
    '{text}',
    '',
    '[[ ## label ## ]]',
    `{label}        # note: the value you produce must exactly match (no extra characters) one of: ${list}`,
    '',
    '[[ ## confidence ## ]]',
    '{confidence}        # note: the value you produce must be a single number',
    '',
    '[[ ## completed ## ]]',
    'In adhering to this structure, your objective is:',
    ...instructions.map((l) => `        ${l}`),
  ].join('\n');
}

/** Final user message of the classify signature. */
export function classifyUser(text: string, labels: readonly string[]): string {
  return `[[ ## text ## ]]\n${text}\n\nRespond with the corresponding output fields, starting with the field \`[[ ## label ## ]]\` (must be one of: ${labels.join('; ')}), then \`[[ ## confidence ## ]]\` (must be formatted as a valid number), and then ending with the marker for \`[[ ## completed ## ]]\`.`;
}

/** A whole classify prompt with demos. */
export function classifyPrompt(
  labels: readonly string[],
  instructions: readonly string[],
  demos: readonly { text: string; label: string }[],
  text: string,
): ChatMessage[] {
  const msgs: ChatMessage[] = [{ role: 'system', content: classifySystem(labels, instructions) }];
  for (const d of demos) {
    msgs.push({ role: 'user', content: `[[ ## text ## ]]\n${d.text}` });
    msgs.push({
      role: 'assistant',
      content: `[[ ## label ## ]]\n${d.label}\n\n[[ ## confidence ## ]]\n0.9\n\n[[ ## completed ## ]]`,
    });
  }
  msgs.push({ role: 'user', content: classifyUser(text, labels) });
  return msgs;
}
