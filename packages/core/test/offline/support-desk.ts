import { DspyError, History, ToolCalls, tool } from '../../src/index.js';
import type { AgentStep } from '../../src/tools/index.js';

const ORDERS: Record<string, { status: string; trackingNumber: string }> = {
  'A-10234': { status: 'shipped', trackingNumber: '1Z999AA1' },
  'A-20001': { status: 'delivered', trackingNumber: '1Z000CC3' },
  'B-555': { status: 'shipped', trackingNumber: '9Z123XY' },
  'C-9': { status: 'delivered', trackingNumber: '7Q444RR' },
};
const PARCELS: Record<string, string> = {
  '1Z999AA1': 'Memphis, TN',
  '1Z000CC3': 'Denver, CO',
  '9Z123XY': 'Reno, NV',
  '7Q444RR': 'Austin, TX',
};

const missing = (what: string) =>
  new DspyError('TOOL_ERROR', `no ${what}`, { details: { where: 'support desk', fix: 'Use a known id.' } });

/** The support desk's tools: look up an order, track a parcel, open a refund. */
export const supportTools = [
  tool(
    (orderId: string) => {
      const o = ORDERS[orderId];
      if (!o) throw missing(`order ${orderId}`);
      return { orderId, ...o };
    },
    {
      name: 'lookupOrder',
      desc: 'Look up an order by its id.',
      parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    },
  ),
  tool(
    (trackingNumber: string) => {
      const location = PARCELS[trackingNumber];
      if (!location) throw missing(`parcel ${trackingNumber}`);
      return { location };
    },
    {
      name: 'trackParcel',
      desc: 'Track a parcel by its tracking number.',
      parameters: {
        type: 'object',
        properties: { trackingNumber: { type: 'string' } },
        required: ['trackingNumber'],
      },
    },
  ),
  tool((orderId: string, reason: string) => ({ refund: `R-${orderId}`, reason }), {
    name: 'openRefund',
    desc: 'Open a refund for an order.',
    parameters: {
      type: 'object',
      properties: { orderId: { type: 'string' }, reason: { type: 'string' } },
      required: ['orderId', 'reason'],
    },
  }),
];

function step(
  n: number,
  thought: string,
  name: string,
  args: Record<string, unknown>,
  content: string,
): AgentStep {
  const id = `call_${n}_0`;
  return {
    thought,
    toolCalls: new ToolCalls([{ id, name, args }]),
    results: [{ id, name, ok: true, content }],
  };
}

/** A demo of the `react` predictor: the track run's last turn (its trajectory holds the first two). */
export const trackDemo = {
  question: 'Where is my parcel? My order A-10234 has not arrived.',
  trajectory: new History<AgentStep>([
    step(
      1,
      'I will look up order A-10234.',
      'lookupOrder',
      { orderId: 'A-10234' },
      JSON.stringify({ orderId: 'A-10234', ...ORDERS['A-10234'] }),
    ),
    step(
      2,
      'It shipped; I will track parcel 1Z999AA1.',
      'trackParcel',
      { trackingNumber: '1Z999AA1' },
      '{"location":"Memphis, TN"}',
    ),
  ]),
  nextThought: 'The parcel is in Memphis, TN.',
  toolCalls: new ToolCalls([{ name: 'finish', args: {} }]),
};

/** A demo of the `react` predictor: a refund's first turn. */
export const refundDemo = {
  question: 'Please refund order A-20001, the mug arrived broken.',
  trajectory: new History<AgentStep>([]),
  nextThought: 'I will open a refund for A-20001.',
  toolCalls: new ToolCalls([{ name: 'openRefund', args: { orderId: 'A-20001', reason: 'damaged' } }]),
};

/** A demo of the `extract` predictor: the answer is the location the track run found. */
export const extractDemo = {
  question: trackDemo.question,
  trajectory: [
    'Step 1\nThought: I will look up order A-10234.\nCall call_1_0: lookupOrder({"orderId":"A-10234"})',
    `Result call_1_0 (lookupOrder): ${JSON.stringify({ orderId: 'A-10234', ...ORDERS['A-10234'] })}`,
    '\nStep 2\nThought: It shipped.\nCall call_2_0: trackParcel({"trackingNumber":"1Z999AA1"})',
    'Result call_2_0 (trackParcel): {"location":"Memphis, TN"}',
  ].join('\n'),
  reasoning: 'The parcel was tracked.',
  answer: 'Memphis, TN',
};

/** The calls of a run's trajectory, as [name, args] per call. */
export function callsOf(trajectory: History<AgentStep>): [string, Readonly<Record<string, unknown>>][] {
  return trajectory.messages.flatMap((s) =>
    s.toolCalls.calls.map((c) => [c.name, c.args] as [string, Readonly<Record<string, unknown>>]),
  );
}
