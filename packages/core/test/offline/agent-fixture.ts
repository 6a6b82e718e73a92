import type { ChatMessage, LMRequest, ToolDefinition } from '../../src/index.js';

/** The support desk's tools, as definitions. */
export const TOOLS: ToolDefinition[] = [
  {
    name: 'lookupOrder',
    description: 'Look up an order by its id.',
    parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  },
  {
    name: 'trackParcel',
    description: 'Track a parcel by its tracking number.',
    parameters: {
      type: 'object',
      properties: { trackingNumber: { type: 'string' } },
      required: ['trackingNumber'],
    },
  },
  {
    name: 'openRefund',
    description: 'Open a refund for an order.',
    parameters: {
      type: 'object',
      properties: { orderId: { type: 'string' }, reason: { type: 'string' } },
      required: ['orderId', 'reason'],
    },
  },
  {
    name: 'finish',
    description: 'Call when you have what you need.',
    parameters: { type: 'object', properties: {} },
  },
];

export interface Call {
  readonly name: string;
  readonly args: Record<string, unknown>;
}
export interface Step {
  readonly thought: string;
  readonly calls: readonly Call[];
  readonly results: readonly string[];
}
export interface DemoTurn {
  readonly question: string;
  readonly steps: readonly Step[];
  readonly thought: string;
  readonly calls: readonly Call[];
}

const RESPOND_TEXT =
  'Respond with the corresponding output fields, starting with the field `[[ ## nextThought ## ]]`, then `[[ ## toolCalls ## ]]` (must be formatted as valid JSON), and then ending with the marker for `[[ ## completed ## ]]`.';
const RESPOND_NATIVE =
  'Respond with the corresponding output fields, starting with the field `[[ ## nextThought ## ]]`, and then ending with the marker for `[[ ## completed ## ]]`.';

const stepsJson = (steps: readonly Step[]) =>
  JSON.stringify(
    steps.map((s) => ({
      thought: s.thought,
      tool_calls: s.calls,
      results: s.calls.map((c, i) => ({ name: c.name, content: s.results[i] ?? '' })),
    })),
  );

const answer = (thought: string, calls: readonly Call[] | undefined) =>
  [
    `[[ ## nextThought ## ]]\n${thought}`,
    ...(calls ? [`[[ ## toolCalls ## ]]\n${JSON.stringify(calls)}`] : []),
    '[[ ## completed ## ]]',
  ].join('\n\n');

/** A tool-calling prompt in the design's TEXT format (as the adapters write it). */
export function textPrompt(demos: readonly DemoTurn[], question: string, live: readonly Step[]): LMRequest {
  const system = [
    'Your input fields are:',
    '1. `question` (string)',
    '2. `tools` (Tool[])',
    'Your output fields are:',
    '1. `nextThought` (string)',
    '2. `toolCalls` (ToolCalls)',
    'All interactions will be structured in the following way, with the appropriate values filled in.',
    '',
    '[[ ## question ## ]]\n{question}\n\n[[ ## tools ## ]]\n{tools}\n\n[[ ## nextThought ## ]]\n{nextThought}\n\n[[ ## toolCalls ## ]]\n{toolCalls}        # note: the value you produce must adhere to the JSON schema: {"type":"object","x-dspy-type":"ToolCalls"}\n\n[[ ## completed ## ]]',
    'In adhering to this structure, your objective is: ',
    '        Answer the customer, calling tools.',
  ].join('\n');
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const d of demos) {
    messages.push(
      {
        role: 'user',
        content: `[[ ## question ## ]]\n${d.question}\n\n[[ ## trajectory ## ]]\n${stepsJson(d.steps)}`,
      },
      { role: 'assistant', content: answer(d.thought, d.calls) },
    );
  }
  const tools = JSON.stringify(
    TOOLS.map(({ name, description, parameters }) => ({ name, description, parameters })),
  );
  messages.push({
    role: 'user',
    content: `[[ ## question ## ]]\n${question}\n\n[[ ## tools ## ]]\n${tools}\n\n${RESPOND_TEXT}`,
  });
  live.forEach((s, k) => {
    messages.push({ role: 'assistant', content: answer(s.thought, s.calls) });
    const results = s.calls.map((c, i) => ({
      id: `call_${k}_${i}`,
      name: c.name,
      content: s.results[i] ?? '',
    }));
    messages.push({
      role: 'user',
      content: `[[ ## tool_results ## ]]\n${JSON.stringify(results)}\n\n${RESPOND_TEXT}`,
    });
  });
  return { messages };
}

/** A tool-calling prompt in the design's NATIVE format: tools in the request, the trajectory as tool messages. */
export function nativePrompt(demos: readonly DemoTurn[], question: string, live: readonly Step[]): LMRequest {
  const system = [
    'Your input fields are:',
    '1. `question` (string)',
    'Your output fields are:',
    '1. `nextThought` (string)',
    'All interactions will be structured in the following way, with the appropriate values filled in.',
    '',
    '[[ ## question ## ]]\n{question}\n\n[[ ## nextThought ## ]]\n{nextThought}\n\n[[ ## completed ## ]]',
    'Call tools through the function-calling interface; answer without a call when you are done.',
    'In adhering to this structure, your objective is: ',
    '        Answer the customer, calling tools.',
  ].join('\n');
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const d of demos) {
    messages.push(
      {
        role: 'user',
        content: `[[ ## question ## ]]\n${d.question}\n\n[[ ## trajectory ## ]]\n${stepsJson(d.steps)}`,
      },
      { role: 'assistant', content: answer(d.thought, d.calls) },
    );
  }
  messages.push({ role: 'user', content: `[[ ## question ## ]]\n${question}\n\n${RESPOND_NATIVE}` });
  live.forEach((s, k) => {
    const ids = s.calls.map((_, i) => `c${k}${i}`);
    messages.push({
      role: 'assistant',
      content: answer(s.thought, undefined),
      toolCalls: s.calls.map((c, i) => ({ id: ids[i]!, name: c.name, arguments: c.args })),
    });
    for (const [i, id] of ids.entries())
      messages.push({ role: 'tool', toolCallId: id, content: s.results[i] ?? '' });
  });
  return { messages, tools: TOOLS };
}

/** The demo run: where is the parcel of an order (look it up, track it, finish). */
export const TRACK_RUN: DemoTurn = {
  question: 'Where is my parcel? My order A-10234 has not arrived.',
  steps: [
    {
      thought: 'I will look up order A-10234.',
      calls: [{ name: 'lookupOrder', args: { orderId: 'A-10234' } }],
      results: ['{"orderId":"A-10234","status":"shipped","trackingNumber":"1Z999AA1"}'],
    },
    {
      thought: 'It shipped; I will track parcel 1Z999AA1.',
      calls: [{ name: 'trackParcel', args: { trackingNumber: '1Z999AA1' } }],
      results: ['{"location":"Memphis, TN"}'],
    },
  ],
  thought: 'The parcel is in Memphis, TN.',
  calls: [{ name: 'finish', args: {} }],
};

/** The demo turn: refund a broken item. */
export const REFUND_TURN: DemoTurn = {
  question: 'Please refund order A-20001, the mug arrived broken.',
  steps: [],
  thought: 'I will open a refund for A-20001.',
  calls: [{ name: 'openRefund', args: { orderId: 'A-20001', reason: 'damaged' } }],
};

export const QUESTION = 'My order B-555 never came, where is the parcel?';
export const LOOKUP_STEP: Step = {
  thought: 'I will look up order B-555.',
  calls: [{ name: 'lookupOrder', args: { orderId: 'B-555' } }],
  results: ['{"orderId":"B-555","status":"shipped","trackingNumber":"9Z123XY"}'],
};
export const TRACK_STEP: Step = {
  thought: 'I will track it.',
  calls: [{ name: 'trackParcel', args: { trackingNumber: '9Z123XY' } }],
  results: ['{"location":"Reno, NV"}'],
};
