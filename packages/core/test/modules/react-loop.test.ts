import {
  type AgentStep,
  ChatAdapter,
  type DspyError,
  type History,
  isDspyError,
  ReAct,
  silentLogger,
  type Tool,
  tool,
  withSettings,
} from '@dspy-ts/core';
import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { add, barrier, flaky, plainSteps, search, textTurn } from './react-helpers.js';

const quiet = <T>(fn: () => Promise<T>) => withSettings({ logger: silentLogger }, fn);
const answer = (text: string) => ({ reasoning: `So: ${text}.`, answer: text });

/** A tool that waits at `gate` before answering (it only opens when every party has started). */
function gated(name: string, gate: ReturnType<typeof barrier>): Tool<string> {
  return tool(
    async () => {
      await gate.arrive();
      return `${name} done`;
    },
    { name, desc: `Waits for the others, then answers.`, parameters: { type: 'object', properties: {} } },
  );
}

describe('ReAct: the loop', () => {
  it('runs every call of a turn, gives ids, stops at finish, and returns a typed trajectory', async () => {
    const lm = new ScriptedLM([
      textTurn({
        thought: 'Search and add at once.',
        calls: [
          { name: 'search', args: { query: 'Dune author' } },
          { name: 'add', args: { a: 2, b: '3' } },
        ],
      }),
      textTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
      answer('Frank Herbert'),
    ]);
    const agent = new ReAct('question: string -> answer: string', {
      tools: [search, add],
      lm,
      nativeToolCalls: false,
    });
    const pred = await agent.forward({ question: 'Who wrote Dune?' });
    expectTypeOf(pred.answer).toEqualTypeOf<string>();
    expectTypeOf(pred.trajectory).toEqualTypeOf<History<AgentStep>>();
    expect(pred.answer).toBe('Frank Herbert');
    expect(plainSteps(pred.trajectory)).toEqual([
      {
        thought: 'Search and add at once.',
        calls: [
          { name: 'search', args: { query: 'Dune author' } },
          { name: 'add', args: { a: 2, b: '3' } },
        ],
        results: [
          { name: 'search', ok: true, content: 'Results for Dune author' },
          { name: 'add', ok: true, content: '5' },
        ],
      },
      {
        thought: 'Done.',
        calls: [{ name: 'finish', args: {} }],
        results: [{ name: 'finish', ok: true, content: 'Done.' }],
      },
    ]);
    const ids = pred.trajectory.messages.map((s) => s.toolCalls.calls.map((c) => c.id));
    expect(ids).toEqual([['call_1_0', 'call_1_1'], ['call_2_0']]);
    expect(pred.trajectory.messages[0]?.results.map((r) => r.id)).toEqual(['call_1_0', 'call_1_1']);
    expect(pred.trajectory.messages[0]?.results[1]?.value).toBe(5);
    expect(pred.lmCalls).toBe(3);
    expect(agent.namedPredictors().map(([p]) => p)).toEqual(['react', 'extract.predict']);
    // The extractor reads the steps as text: calls with their ids, and every result.
    const extractPrompt = lm.requests[2]?.messages.at(-1)?.content ?? '';
    expect(extractPrompt).toContain('Step 1\nThought: Search and add at once.');
    expect(extractPrompt).toContain('Call call_1_0: search({"query":"Dune author"})');
    expect(extractPrompt).toContain('Result call_1_1 (add): 5');
  });

  it('keeps the ids the model gave', async () => {
    const lm = new ScriptedLM([
      {
        nextThought: 't',
        toolCalls: {
          calls: [
            { id: 'mine_7', name: 'search', args: { query: 'x' } },
            { name: 'finish', args: {} },
          ],
        },
      },
      answer('a'),
    ]);
    const agent = new ReAct('question -> answer', { tools: [search], lm, nativeToolCalls: false });
    const pred = await agent.forward({ question: 'q' });
    expect(pred.trajectory.messages[0]?.toolCalls.calls.map((c) => c.id)).toEqual(['mine_7', 'call_1_1']);
    expect(pred.trajectory.messages[0]?.results.map((r) => r.id)).toEqual(['mine_7', 'call_1_1']);
  });

  it('ends on a turn without calls (a plain answer), and other calls of a finish turn still run', async () => {
    const plain = new ScriptedLM([textTurn({ thought: 'I already know.', calls: [] }), answer('42')]);
    const agent = new ReAct('question -> answer', { tools: [search], lm: plain, nativeToolCalls: false });
    const pred = await agent.forward({ question: 'q' });
    expect(plainSteps(pred.trajectory)).toEqual([{ thought: 'I already know.', calls: [], results: [] }]);
    expect(plain.callCount).toBe(2);
    expect(pred.answer).toBe('42');

    const both = new ScriptedLM([
      textTurn({
        thought: 'Last lookup, then finish.',
        calls: [
          { name: 'finish', args: {} },
          { name: 'search', args: { query: 'last' } },
        ],
      }),
      answer('done'),
    ]);
    const second = new ReAct('question -> answer', { tools: [search], lm: both, nativeToolCalls: false });
    const run = await second.forward({ question: 'q' });
    expect(run.trajectory.messages[0]?.results.map((r) => r.content)).toEqual(['Done.', 'Results for last']);
    expect(both.callCount).toBe(2);
  });

  it('turns an unknown tool, bad arguments, a throw and a timeout into error observations', async () => {
    const never = tool((_x: string) => new Promise<string>(() => {}), {
      name: 'hang',
      desc: 'Never answers.',
      parameters: { type: 'object', properties: {} },
    });
    const lm = new ScriptedLM([
      textTurn({
        thought: 'Try everything.',
        calls: [
          { name: 'launch_rockets', args: {} },
          { name: 'add', args: { a: 'two' } },
          { name: 'flaky', args: {} },
          { name: 'hang', args: {} },
        ],
      }),
      textTurn({ thought: 'Give up.', calls: [{ name: 'finish', args: {} }] }),
      answer('unknown'),
    ]);
    const agent = new ReAct('question -> answer', {
      tools: [add, flaky, never],
      lm,
      toolTimeoutMs: 20,
      nativeToolCalls: false,
    });
    const pred = await agent.forward({ question: 'q' });
    const results = pred.trajectory.messages[0]?.results ?? [];
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect(results[0]?.content).toBe(
      "Error: there is no tool named 'launch_rockets'; use one of: add, flaky, hang, finish.",
    );
    expect(results[1]?.content).toMatch(
      /^Error: tool 'add': invalid arguments: argument 'a': 'two' is not a number/,
    );
    expect(results[2]?.content).toBe("Error: tool 'flaky' failed: service down");
    expect(results[3]?.content).toBe("Error: tool 'hang' did not finish within 20 ms.");
    expect(pred.answer).toBe('unknown');
  });

  it('runs the calls of one turn concurrently, at most maxParallelTools at once', async () => {
    const gate = barrier(2);
    const lm = new ScriptedLM([
      textTurn({
        thought: 'Both at once.',
        calls: [
          { name: 'left', args: {} },
          { name: 'right', args: {} },
        ],
      }),
      textTurn({ thought: 'Done.', calls: [{ name: 'finish', args: {} }] }),
      answer('ok'),
    ]);
    // Each tool only returns once both have started: run one after the other, the first times out.
    const agent = new ReAct('question -> answer', {
      tools: [gated('left', gate), gated('right', gate)],
      lm,
      toolTimeoutMs: 5_000,
      nativeToolCalls: false,
    });
    const pred = await agent.forward({ question: 'q' });
    expect(pred.trajectory.messages[0]?.results.map((r) => r.content)).toEqual(['left done', 'right done']);

    let active = 0;
    let peak = 0;
    const busy = tool(
      async (n: number) => {
        active += 1;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setImmediate(resolve));
        active -= 1;
        return n;
      },
      {
        name: 'busy',
        parameters: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
      },
    );
    const five = Array.from({ length: 5 }, (_, n) => ({ name: 'busy', args: { n } }));
    const bounded = new ScriptedLM([
      textTurn({ thought: 'Many.', calls: five }),
      textTurn({ thought: '', calls: [] }),
      answer('ok'),
    ]);
    const narrow = new ReAct('question -> answer', {
      tools: [busy],
      lm: bounded,
      maxParallelTools: 2,
      nativeToolCalls: false,
    });
    const run = await narrow.forward({ question: 'q' });
    expect(peak).toBe(2);
    expect(run.trajectory.messages[0]?.results.map((r) => r.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stops after maxIters turns and still extracts', async () => {
    const turn = textTurn({ thought: 'Again.', calls: [{ name: 'search', args: { query: 'x' } }] });
    const lm = new ScriptedLM([turn, turn, turn, answer('partial')]);
    const agent = new ReAct('question -> answer', {
      tools: [search],
      maxIters: 3,
      lm,
      nativeToolCalls: false,
    });
    const pred = await agent.forward({ question: 'q' });
    expect(pred.trajectory.length).toBe(3);
    expect(lm.callCount).toBe(4);
    expect(pred.answer).toBe('partial');
  });

  it('ends the loop on an unreadable turn and still extracts', async () => {
    const lm = new ScriptedLM((request) => {
      const system = request.messages[0]?.content ?? '';
      return system.includes('`reasoning`') ? answer('unsure') : '[[ ## nonsense ## ]]\nnothing useful';
    });
    const agent = new ReAct('question -> answer', { tools: [search], lm, nativeToolCalls: false });
    const pred = await quiet(() => agent.forward({ question: 'q' }));
    expect(pred.trajectory.length).toBe(0);
    expect(pred.answer).toBe('unsure');
  });

  it("aborts the tools still running when the run's signal aborts", async () => {
    const controller = new AbortController();
    let toolSawAbort = false;
    const hang: Tool<string> = {
      name: 'hang',
      description: 'Waits until cancelled.',
      parameters: { type: 'object', properties: {} },
      params: [],
      call: (_args, options) =>
        new Promise<string>(() => {
          options?.signal?.addEventListener('abort', () => {
            toolSawAbort = true;
          });
          controller.abort(new Error('the user stopped the run'));
        }),
    };
    const lm = new ScriptedLM([
      textTurn({ thought: 'Wait.', calls: [{ name: 'hang', args: {} }] }),
      answer('a'),
    ]);
    const agent = new ReAct('question -> answer', { tools: [hang], lm, nativeToolCalls: false });
    const err = await agent
      .forward({ question: 'q' }, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(toolSawAbort).toBe(true);
    expect(isDspyError(err, 'ABORTED')).toBe(true);
    expect((err as DspyError).message.split('\n')[0]).toBe(
      'ReAct(StringSignature): the run was aborted during the tool calls of turn 1.',
    );
    expect(lm.callCount).toBe(1);
  });

  it('passes the model call id to toolStart / toolEnd callbacks', async () => {
    const events: string[] = [];
    const lm = new ScriptedLM([
      textTurn({
        thought: 't',
        calls: [
          { name: 'search', args: { query: 'x' } },
          { name: 'finish', args: {} },
        ],
      }),
      answer('a'),
    ]);
    const agent = new ReAct('question -> answer', { tools: [search], lm, nativeToolCalls: false });
    await withSettings(
      {
        callbacks: [
          {
            onToolStart: (e) => events.push(`start ${e.tool} ${e.toolCallId}`),
            onToolEnd: (e) => events.push(`end ${e.tool} ${e.toolCallId}`),
          },
        ],
      },
      () => agent.forward({ question: 'q' }),
    );
    expect(events).toEqual(['start search call_1_0', 'end search call_1_0']);
  });
});

const err = (fn: () => unknown): DspyError => {
  try {
    fn();
  } catch (e) {
    return e as DspyError;
  }
  throw new Error('expected an error');
};

describe('ReAct: options', () => {
  it('refuses unknown option keys, bad values, and reserved or duplicate tool names', () => {
    const typo = err(() => new ReAct('q -> a', { tools: [add], maxIter: 3 } as never));
    expect(isDspyError(typo, 'MODULE_INVALID')).toBe(true);
    expect(typo.message.split('\n')[0]).toBe(
      "new ReAct(...): unknown option 'maxIter' (did you mean 'maxIters'?)",
    );
    expect(typo.details.fix).toBe('Use maxIters for maxIter.');
    const finish = tool(() => 'x', { name: 'finish' });
    expect(() => new ReAct('q -> a', { tools: [finish] })).toThrow(/'finish' is reserved/);
    expect(() => new ReAct('q -> a', { tools: [add, add] })).toThrow(/two tools are named 'add'/);
    expect(() => new ReAct('q -> a', { tools: [add], maxIters: 0 })).toThrow(
      /maxIters must be a positive whole number, got 0/,
    );
    expect(() => new ReAct('q -> a', { tools: [add], maxParallelTools: 1.5 })).toThrow(/maxParallelTools/);
    expect(() => new ReAct('q -> a', { tools: [add], toolTimeoutMs: -1 })).toThrow(/toolTimeoutMs/);
    expect(() => new ReAct('q -> a', { tools: [add], nativeToolCalls: 'yes' as never })).toThrow(
      /nativeToolCalls must be true, false or 'auto'/,
    );
    expect(() => new ReAct('tools -> a', { tools: [add] })).toThrow(/already has a 'tools' field/);
  });

  it('applies nativeToolCalls to the react predictor, and refuses an adapter built otherwise', () => {
    const textual = new ChatAdapter({ nativeToolCalls: false });
    const clash = err(() => new ReAct('q -> a', { tools: [add], adapter: textual, nativeToolCalls: true }));
    expect(isDspyError(clash, 'MODULE_INVALID')).toBe(true);
    expect(clash.message.split('\n')[0]).toBe(
      'ReAct: nativeToolCalls: true was asked for, but the adapter ChatAdapter was built with nativeToolCalls: false.',
    );
    expect(clash.details.fix).toContain('new ChatAdapter({ nativeToolCalls: true })');
    const own = new ReAct('q -> a', { tools: [add], adapter: textual, nativeToolCalls: false });
    expect(own.react.adapter).toBe(textual);
    const made = new ReAct('q -> a', { tools: [add], nativeToolCalls: false });
    expect((made.react.adapter as ChatAdapter | undefined)?.nativeToolCalls).toBe(false);
    expect(new ReAct('q -> a', { tools: [add] }).react.adapter).toBeUndefined();
  });
});
