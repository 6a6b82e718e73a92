import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatAdapter, History, Predict, ToolCalls, tool } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

const weather = tool((city: string) => `sunny in ${city}`, {
  name: 'weather',
  desc: 'Weather of a city.',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
});
const SIG = 'question, tools: Tool[], trajectory: History -> thought, calls: ToolCalls';
const step = {
  thought: 'Look it up.',
  toolCalls: new ToolCalls([{ id: 'c1', name: 'weather', args: { city: 'Rome' } }]),
  results: [{ id: 'c1', name: 'weather', ok: true, content: 'sunny' }],
};
const demo = {
  question: 'Weather in Rome?',
  tools: [weather],
  trajectory: new History([step]),
  thought: 'Done.',
  calls: new ToolCalls([{ id: 'c2', name: 'weather', args: { city: 'Rome' } }]),
};

describe('artifacts of predictors with tools', () => {
  it('never store the tools of a demo, and give its calls back as a ToolCalls that renders the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-tools-'));
    const path = join(dir, 'agent.json');
    const agent = new Predict(SIG, { demos: [demo] });
    await agent.save(path);

    const saved = JSON.parse(await readFile(path, 'utf8'));
    const [savedDemo] = saved.predictors.self.demos;
    expect(Object.keys(savedDemo).sort()).toEqual(['calls', 'question', 'thought', 'trajectory']);
    expect(savedDemo.calls).toEqual({ calls: [{ id: 'c2', name: 'weather', args: { city: 'Rome' } }] });

    const loaded = new Predict(SIG);
    await loaded.load(path);
    const calls = loaded.demos[0]?.calls;
    expect(ToolCalls.isToolCalls(calls)).toBe(true);
    expect((calls as ToolCalls).calls).toEqual([{ id: 'c2', name: 'weather', args: { city: 'Rome' } }]);

    const adapter = new ChatAdapter({ nativeToolCalls: false });
    const inputs = { question: 'Weather in Paris?', tools: [weather], trajectory: new History([]) };
    expect(adapter.format(loaded.signature, { demos: loaded.demos, inputs })).toEqual(
      adapter.format(agent.signature, { demos: agent.demos, inputs }),
    );
  });
});
