import { describe, expect, it } from 'vitest';
import { ChatAdapter } from '../../src/adapters/index.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { field, qa, rich, str } from './helpers.js';

const adapter = new ChatAdapter();

const WORKED_SYSTEM = `Your input fields are:
1. \`question\` (string)
Your output fields are:
1. \`answer\` (string)
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## question ## ]]
{question}

[[ ## answer ## ]]
{answer}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Answer the question.`;

const WORKED_USER = `[[ ## question ## ]]
What is the capital of France?

Respond with the corresponding output fields, starting with the field \`[[ ## answer ## ]]\`, and then ending with the marker for \`[[ ## completed ## ]]\`.`;

function noTrailingSpace(messages: { content: string }[]) {
  for (const m of messages) expect(m.content).not.toMatch(/[^\S\n]$/m);
}

describe('ChatAdapter.format', () => {
  it('renders the worked example of CHAT_FORMAT.md byte for byte', () => {
    const messages = adapter.format(qa, { inputs: { question: 'What is the capital of France?' } });
    expect(messages).toEqual([
      { role: 'system', content: WORKED_SYSTEM },
      { role: 'user', content: WORKED_USER },
    ]);
  });

  it('renders descriptions, type labels, every note and every parenthetical', () => {
    const messages = adapter.format(rich, { inputs: { ticket: 'Refund please', tags: ['billing', 'eu'] } });
    expect(messages[0]?.content).toBe(`Your input fields are:
1. \`ticket\` (string): the customer message
2. \`tags\` (string[])
Your output fields are:
1. \`summary\` (string): one sentence
2. \`confidence\` (number)
3. \`priority\` (integer)
4. \`urgent\` (boolean)
5. \`sentiment\` ('positive' | 'negative')
6. \`entities\` (Entity[])
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## ticket ## ]]
{ticket}

[[ ## tags ## ]]
{tags}

[[ ## summary ## ]]
{summary}

[[ ## confidence ## ]]
{confidence}        # note: the value you produce must be a single number

[[ ## priority ## ]]
{priority}        # note: the value you produce must be a single integer

[[ ## urgent ## ]]
{urgent}        # note: the value you produce must be true or false

[[ ## sentiment ## ]]
{sentiment}        # note: the value you produce must exactly match (no extra characters) one of: positive; negative

[[ ## entities ## ]]
{entities}        # note: the value you produce must adhere to the JSON schema: {"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Classify the ticket.
        Be strict.`);
    expect(messages[1]?.content).toBe(`[[ ## ticket ## ]]
Refund please

[[ ## tags ## ]]
["billing","eu"]

Respond with the corresponding output fields, starting with the field \`[[ ## summary ## ]]\`, then \`[[ ## confidence ## ]]\` (must be formatted as a valid number), then \`[[ ## priority ## ]]\` (must be formatted as a valid integer), then \`[[ ## urgent ## ]]\` (must be formatted as true or false), then \`[[ ## sentiment ## ]]\` (must be one of: positive; negative), then \`[[ ## entities ## ]]\` (must be formatted as valid JSON), and then ending with the marker for \`[[ ## completed ## ]]\`.`);
    noTrailingSpace(messages);
  });

  it('uses the default task line when instructions are empty', () => {
    const spec = new SignatureSpec({
      name: 'S',
      instructions: '',
      inputs: [str('a'), str('b')],
      outputs: [str('c')],
    });
    const system = adapter.format(spec, { inputs: { a: '1', b: '2' } })[0]?.content ?? '';
    expect(
      system.endsWith(
        'In adhering to this structure, your objective is:\n        Given the fields `a`, `b`, produce the fields `c`.',
      ),
    ).toBe(true);
  });

  it('indents each instruction line by eight spaces and leaves blank lines empty', () => {
    const spec = qa.withInstructions('Line one.  \n\nLine two.');
    const system = adapter.format(spec, { inputs: { question: 'q' } })[0]?.content ?? '';
    expect(system.split('your objective is:\n')[1]).toBe('        Line one.\n\n        Line two.');
  });

  it('renders values: string[] to a string field numbered, numbers, booleans and objects as JSON', () => {
    const spec = new SignatureSpec({
      name: 'V',
      instructions: 'x',
      inputs: [
        str('context'),
        field('n', { type: 'number' }, 'number'),
        field('flag', { type: 'boolean' }, 'boolean'),
        field('obj', { type: 'object' }, 'Obj'),
      ],
      outputs: [str('answer')],
    });
    const user = adapter
      .format(spec, {
        inputs: {
          context: ['first passage', 'second passage'],
          n: 3.5,
          flag: false,
          obj: { a: [1, 2], b: 'x' },
        },
      })
      .at(-1)?.content;
    expect(user).toBe(`[[ ## context ## ]]
[1] «first passage»
[2] «second passage»

[[ ## n ## ]]
3.5

[[ ## flag ## ]]
false

[[ ## obj ## ]]
{"a":[1,2],"b":"x"}

Respond with the corresponding output fields, starting with the field \`[[ ## answer ## ]]\`, and then ending with the marker for \`[[ ## completed ## ]]\`.`);
  });

  it('strips trailing whitespace from values', () => {
    const user =
      adapter.format(qa, { inputs: { question: 'line one   \nline two\t' } }).at(-1)?.content ?? '';
    expect(user.startsWith('[[ ## question ## ]]\nline one\nline two\n\n')).toBe(true);
  });

  it('renders complete demos, then incomplete ones, and skips demos with no inputs or no outputs', () => {
    const spec = new SignatureSpec({
      name: 'QA2',
      instructions: 'Answer.',
      inputs: [str('question'), str('context')],
      outputs: [str('answer'), field('score', { type: 'number' }, 'number')],
    });
    const messages = adapter.format(spec, {
      demos: [
        { question: 'Q1', answer: 'A1' }, // incomplete: no context, no score
        { question: 'Q2', context: 'C2', answer: 'A2', score: 0.5 }, // complete
        { answer: 'A3', score: 1 }, // no inputs: skipped
        { question: 'Q4', context: 'C4' }, // no outputs: skipped
      ],
      inputs: { question: 'Q', context: 'C' },
    });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(messages[1]?.content).toBe('[[ ## question ## ]]\nQ2\n\n[[ ## context ## ]]\nC2');
    expect(messages[2]?.content).toBe(
      '[[ ## answer ## ]]\nA2\n\n[[ ## score ## ]]\n0.5\n\n[[ ## completed ## ]]',
    );
    expect(messages[3]?.content).toBe(
      'This is an example of the task, though some input or output fields are not supplied.\n\n[[ ## question ## ]]\nQ1',
    );
    expect(messages[4]?.content).toBe(
      '[[ ## answer ## ]]\nA1\n\n[[ ## score ## ]]\nNot supplied for this particular example.\n\n[[ ## completed ## ]]',
    );
    expect(messages[5]?.content).toMatch(
      /^\[\[ ## question ## \]\]\nQ\n\n\[\[ ## context ## \]\]\nC\n\nRespond with/,
    );
  });

  it('renders history turns after demos and before the final user message', () => {
    const messages = adapter.format(qa, {
      demos: [{ question: 'demo q', answer: 'demo a' }],
      history: [
        { inputs: { question: 'Hi?' }, outputs: { answer: 'Hello.' } },
        { inputs: { question: 'Name?' }, outputs: { answer: 'Ada.' } },
      ],
      inputs: { question: 'And now?' },
    });
    expect(messages.map((m) => m.content)).toEqual([
      WORKED_SYSTEM,
      '[[ ## question ## ]]\ndemo q',
      '[[ ## answer ## ]]\ndemo a\n\n[[ ## completed ## ]]',
      '[[ ## question ## ]]\nHi?',
      '[[ ## answer ## ]]\nHello.\n\n[[ ## completed ## ]]',
      '[[ ## question ## ]]\nName?',
      '[[ ## answer ## ]]\nAda.\n\n[[ ## completed ## ]]',
      WORKED_USER.replace('What is the capital of France?', 'And now?'),
    ]);
  });

  it('renders literal unions of numbers and a const as enum notes', () => {
    const spec = new SignatureSpec({
      name: 'E',
      instructions: 'x',
      inputs: [str('q')],
      outputs: [
        field('stars', { anyOf: [{ const: 1 }, { const: 2 }, { const: 3 }] }, '1 | 2 | 3'),
        field('kind', { const: 'fixed' }, "'fixed'"),
      ],
    });
    const [system, user] = adapter.format(spec, { inputs: { q: 'x' } });
    expect(system?.content).toContain(
      '{stars}        # note: the value you produce must exactly match (no extra characters) one of: 1; 2; 3',
    );
    expect(system?.content).toContain(
      '{kind}        # note: the value you produce must exactly match (no extra characters) one of: fixed',
    );
    expect(user?.content).toContain(
      '`[[ ## stars ## ]]` (must be one of: 1; 2; 3), then `[[ ## kind ## ]]` (must be one of: fixed), and then',
    );
  });

  it('reuses the per-spec template (same strings across calls)', () => {
    const a = adapter.format(qa, { inputs: { question: 'x' } });
    const b = adapter.format(qa, { inputs: { question: 'y' } });
    expect(a[0]?.content).toBe(b[0]?.content);
    expect(b[1]?.content).toContain('\ny\n');
  });
});

describe('ChatAdapter.format: edge cases', () => {
  it('renders a signature without inputs', () => {
    const spec = new SignatureSpec({ name: 'Joke', instructions: '', inputs: [], outputs: [str('joke')] });
    const [system, user] = adapter.format(spec, { inputs: {} });
    expect(system?.content).toBe(`Your output fields are:
1. \`joke\` (string)
All interactions will be structured in the following way, with the appropriate values filled in.

[[ ## joke ## ]]
{joke}

[[ ## completed ## ]]
In adhering to this structure, your objective is:
        Produce the fields \`joke\`.`);
    expect(user?.content).toBe(
      'Respond with the corresponding output fields, starting with the field `[[ ## joke ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
    );
  });

  it('renders dates as ISO text and leaves out absent inputs', () => {
    const spec = new SignatureSpec({
      name: 'D',
      instructions: 'x',
      inputs: [
        field('when', { type: 'string', format: 'date-time' }, 'Date'),
        { ...str('extra'), optional: true },
      ],
      outputs: [str('answer')],
    });
    const user =
      adapter.format(spec, { inputs: { when: new Date('2024-05-01T10:00:00Z') } }).at(-1)?.content ?? '';
    expect(user.startsWith('[[ ## when ## ]]\n2024-05-01T10:00:00.000Z\n\nRespond with')).toBe(true);
  });

  it('throws ADAPTER_FORMAT for a value that cannot be JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const spec = new SignatureSpec({
      name: 'C',
      instructions: 'x',
      inputs: [field('o', { type: 'object' }, 'O')],
      outputs: [str('a')],
    });
    expect(() => adapter.format(spec, { inputs: { o: cyclic } })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_FORMAT', message: expect.stringContaining("field 'o'") }),
    );
  });
});
