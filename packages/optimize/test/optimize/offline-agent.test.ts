import {
  type AgentStep,
  configure,
  DspyError,
  Example,
  evaluate,
  type History,
  type Metric,
  ReAct,
  silentLogger,
  tool,
} from '@dspy-ts/core';
import { resetSettings } from '@dspy-ts/core/internal';
import { OfflineLM } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapFewShot } from '../../src/index.js';

// A tiny support desk: a parcel is found by looking its order up, then tracking the number the
// order gives. Success is having tracked the right parcel.
const ORDERS: Record<string, string> = {};
const PARCELS: Record<string, string> = {};
const CITIES = [
  'Memphis',
  'Reno',
  'Austin',
  'Denver',
  'Tulsa',
  'Boise',
  'Omaha',
  'Fresno',
  'Tampa',
  'Dayton',
];
const PHRASES = [
  (id: string) => `Where is my parcel? Order ${id} has not arrived.`,
  (id: string) => `My order ${id} never came, where is the parcel?`,
  (id: string) => `Can you track the parcel for order ${id}, please?`,
  (id: string) => `I am still waiting for order ${id}. Where is the parcel now?`,
];

function example(i: number): Example {
  const id = `A-${1000 + i * 37}`;
  const tracking = `1Z${500 + i * 13}QX`;
  ORDERS[id] = tracking;
  PARCELS[tracking] = CITIES[i % CITIES.length]!;
  return new Example({ question: PHRASES[i % PHRASES.length]!(id), location: PARCELS[tracking] }).withInputs(
    'question',
  );
}

const trainset = Array.from({ length: 8 }, (_, i) => example(i));
const devset = Array.from({ length: 8 }, (_, i) => example(i + 8));

const unknown = (what: string) =>
  new DspyError('TOOL_ERROR', `unknown ${what}`, {
    details: { where: 'support desk', fix: 'Use a known id.' },
  });
const tools = [
  tool(
    (orderId: string) => {
      if (!(orderId in ORDERS)) throw unknown(`order ${orderId}`);
      return { orderId, status: 'shipped', trackingNumber: ORDERS[orderId] };
    },
    {
      name: 'lookupOrder',
      desc: 'Look up an order by its id.',
      parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    },
  ),
  tool(
    (trackingNumber: string) => {
      if (!(trackingNumber in PARCELS)) throw unknown(`parcel ${trackingNumber}`);
      return { location: PARCELS[trackingNumber] };
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

/** The run tracked the example's parcel: a successful trackParcel result names its location. */
const trackedIt: Metric = (ex, pred) => {
  const trajectory = pred.get('trajectory') as History<AgentStep> | undefined;
  // Scored against its own labels (the optimizer's check of the metric), an example passes.
  if (!trajectory) return pred.get('location') === ex.get('location');
  return trajectory.messages.some((s) =>
    s.results.some((r) => r.ok && r.name === 'trackParcel' && r.content.includes(String(ex.get('location')))),
  );
};

const agent = () => new ReAct('question -> answer', { tools, maxIters: 6 });

beforeAll(() => configure({ lm: new OfflineLM(), logger: silentLogger }));
afterAll(() => resetSettings());

describe('OfflineLM learns a tool-calling agent from bootstrapped runs', () => {
  it('a ReAct compiled with BootstrapFewShot scores higher than zero-shot', async () => {
    const zeroShot = await evaluate(agent(), devset, trackedIt, { progress: false });
    const { program } = await new BootstrapFewShot({
      metric: trackedIt,
      maxBootstrappedDemos: 4,
      maxLabeledDemos: 0,
      maxRounds: 12,
    }).compile(agent(), { trainset });
    expect(program.react.demos.length).toBeGreaterThan(0);
    const compiled = await evaluate(program, devset, trackedIt, { progress: false });
    expect(zeroShot.score).toBe(0);
    expect(compiled.score).toBeGreaterThanOrEqual(75);
  });
});
