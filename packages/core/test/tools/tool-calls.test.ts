import { describe, expect, it } from 'vitest';
import { DspyError, type Tool, ToolCalls, tool } from '../../src/index.js';
import { isAgentStep, readToolCalls } from '../../src/internal.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function slowTool(name: string, ms: number, log: string[]): Tool {
  return tool(
    async (x: number) => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return x * 2;
    },
    { name, parameters: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
  );
}

describe('ToolCalls', () => {
  it('reads calls from the shapes models and artifacts give', () => {
    const forms: unknown[] = [
      [{ name: 'a', args: { x: 1 } }],
      { calls: [{ name: 'a', args: { x: 1 } }] },
      { tool_calls: [{ name: 'a', arguments: '{"x":1}' }] },
      [{ id: 'c9', type: 'function', function: { name: 'a', arguments: '{"x":1}' } }],
      { name: 'a', args: { x: 1 } },
    ];
    for (const form of forms) {
      const read = readToolCalls(form);
      expect(read.ok, JSON.stringify(form)).toBe(true);
      if (read.ok) expect(read.value.calls.map((c) => [c.name, c.args])).toEqual([['a', { x: 1 }]]);
    }
    const bad = readToolCalls([{ name: 'a', arguments: '{"x":' }]);
    expect(bad).toEqual({ ok: false, reason: "the arguments of call 0 ('a') are not valid JSON" });
    expect(() => new ToolCalls([{ args: {} } as never])).toThrow(DspyError);
  });

  it('runs the calls of one turn concurrently, bounded, results in call order', async () => {
    const log: string[] = [];
    const tools = [slowTool('a', 40, log), slowTool('b', 10, log), slowTool('c', 10, log)];
    const calls = new ToolCalls([
      { name: 'a', args: { x: 1 } },
      { name: 'b', args: { x: 2 } },
      { name: 'c', args: { x: 3 } },
    ]);
    const results = await calls.execute(tools, { concurrency: 2 });
    expect(results.map((r) => [r.id, r.name, r.ok, r.content])).toEqual([
      ['call_0', 'a', true, '2'],
      ['call_1', 'b', true, '4'],
      ['call_2', 'c', true, '6'],
    ]);
    // a and b start together; c waits for a free slot (b's), so it starts before a ends.
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end b'));
    expect(log.indexOf('start c')).toBeLessThan(log.indexOf('end a'));
  });

  it('turns unknown tools, bad arguments, throws and timeouts into error results', async () => {
    const boom = tool(
      () => {
        throw new Error('db down');
      },
      { name: 'boom' },
    );
    const hang = tool(() => new Promise<string>(() => {}), { name: 'hang' });
    const log: string[] = [];
    const results = await new ToolCalls([
      { id: 'x1', name: 'missing', args: {} },
      { id: 'x2', name: 'a', args: { x: 'not a number' } },
      { id: 'x3', name: 'boom', args: {} },
      { id: 'x4', name: 'hang', args: {} },
    ]).execute([slowTool('a', 1, log), boom, hang], { timeoutMs: 50 });
    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['x1', false],
      ['x2', false],
      ['x3', false],
      ['x4', false],
    ]);
    expect(results[0]?.content).toMatch(
      /^Error: there is no tool named 'missing'; use one of: a, boom, hang\./,
    );
    expect(results[1]?.content).toMatch(/^Error: .*'x'/);
    expect(results[2]?.content).toMatch(/db down/);
    expect(results[3]?.content).toBe("Error: tool 'hang' did not finish within 50 ms.");
    expect(log).toEqual([]);
  });

  it('passes an abort signal the tool can honour on timeout', async () => {
    let aborted = false;
    const waiting: Tool = {
      name: 'wait',
      description: '',
      parameters: { type: 'object', properties: {} },
      params: [],
      call: (_args, options) =>
        new Promise((_, reject) => {
          options?.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('stopped'));
          });
        }),
    };
    const [r] = await new ToolCalls([{ name: 'wait', args: {} }]).execute([waiting], { timeoutMs: 20 });
    expect(r?.ok).toBe(false);
    expect(aborted).toBe(true);
  });

  it('round-trips through JSON and recognises agent steps', () => {
    const calls = new ToolCalls([{ id: 'c1', name: 'a', args: { x: 1 } }]);
    const data = JSON.parse(JSON.stringify(calls));
    expect(data).toEqual({ calls: [{ id: 'c1', name: 'a', args: { x: 1 } }] });
    expect(ToolCalls.from(data).calls).toEqual(calls.calls);
    expect(isAgentStep({ thought: '', toolCalls: calls, results: [] })).toBe(true);
    expect(isAgentStep({ thought: '', toolCalls: data, results: [] })).toBe(true);
    expect(isAgentStep({ question: 'q', answer: 'a' })).toBe(false);
  });
});
