import { describe, expect, it } from 'vitest';
import { ChatAdapter, History, JSONAdapter, signature } from '../../src/index.js';

const spec = signature('history: History, question -> answer');
const history = new History([
  { question: 'Capital of France?', answer: 'Paris' },
  { question: 'Largest city of Japan?' },
]);
const inputs = { history, question: 'And of Italy?' };
const demos = [{ question: 'Capital of Spain?', answer: 'Madrid' }];

describe('History inputs in ChatAdapter', () => {
  const messages = new ChatAdapter().format(spec, { demos, inputs });

  it('renders demos, then one user/assistant pair per turn, then the current question', () => {
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['system', expect.any(String)],
      ['user', '[[ ## question ## ]]\nCapital of Spain?'],
      ['assistant', '[[ ## answer ## ]]\nMadrid\n\n[[ ## completed ## ]]'],
      ['user', '[[ ## question ## ]]\nCapital of France?'],
      ['assistant', '[[ ## answer ## ]]\nParis\n\n[[ ## completed ## ]]'],
      ['user', '[[ ## question ## ]]\nLargest city of Japan?'],
      ['assistant', '[[ ## completed ## ]]'],
      [
        'user',
        '[[ ## question ## ]]\nAnd of Italy?\n\nRespond with the corresponding output fields, starting with the field `[[ ## answer ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.',
      ],
    ]);
  });

  it('does not list or render the history field itself', () => {
    const system = messages[0]?.content ?? '';
    expect(system).toContain('Your input fields are:\n1. `question` (string)\nYour output fields');
    expect(system).not.toContain('[[ ## history ## ]]');
    expect(messages.some((m) => m.content?.includes('messages'))).toBe(false);
  });

  it('reads the { messages } data a History serialises to', () => {
    const plain = JSON.parse(JSON.stringify(inputs));
    expect(new ChatAdapter().format(spec, { demos, inputs: plain })).toEqual(messages);
  });
});

describe('History inputs in JSONAdapter', () => {
  it('renders each turn as user marker blocks and an assistant JSON object, after demos', () => {
    const messages = new JSONAdapter().format(spec, { demos, inputs });
    expect(messages.slice(1, -1).map((m) => [m.role, m.content])).toEqual([
      ['user', '[[ ## question ## ]]\nCapital of Spain?'],
      ['assistant', '{\n  "answer": "Madrid"\n}'],
      ['user', '[[ ## question ## ]]\nCapital of France?'],
      ['assistant', '{\n  "answer": "Paris"\n}'],
      ['user', '[[ ## question ## ]]\nLargest city of Japan?'],
      ['assistant', '{}'],
    ]);
    expect(messages.at(-1)?.content).toMatch(/^\[\[ ## question ## \]\]\nAnd of Italy\?\n\n/);
    expect(messages[0]?.content).not.toContain('[[ ## history ## ]]');
    expect(messages[0]?.content).not.toContain('`history` (History)');
  });
});
