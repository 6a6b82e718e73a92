import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DspyError,
  isDspyError,
  ReAct,
  type ReActStep,
  registerManifest,
  silentLogger,
  Tool,
  tool,
  toolsOf,
  withSettings,
} from '@dspy-ts/core';
import { clearManifests } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';

const quiet = <T>(fn: () => Promise<T>) => withSettings({ logger: silentLogger }, fn);

const add = tool((a: number, b: number) => a + b, {
  name: 'add',
  desc: 'Adds two numbers.',
  parameters: {
    type: 'object',
    properties: { a: { type: 'number' }, b: { type: 'number' } },
    required: ['a', 'b'],
  },
});

const calls: string[] = [];
const search = tool(
  (query: string) => {
    calls.push(query);
    return `Results for ${query}`;
  },
  {
    name: 'search',
    desc: 'Searches the web.',
    parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
  },
);

afterEach(() => {
  calls.length = 0;
  clearManifests();
});

describe('ReAct', () => {
  it('runs tools in order, stops at finish, extracts typed outputs with the trajectory', async () => {
    const lm = new ScriptedLM([
      { nextThought: 'Search first.', nextToolName: 'search', nextToolArgs: { query: 'Dune author' } },
      { nextThought: 'Then add.', nextToolName: 'add', nextToolArgs: { a: 2, b: '3' } },
      { nextThought: 'Done.', nextToolName: 'finish', nextToolArgs: {} },
      { reasoning: 'The search says Herbert.', answer: 'Frank Herbert' },
    ]);
    const agent = new ReAct('question: string -> answer: string', { tools: [search, add], lm });
    const pred = await agent.forward({ question: 'Who wrote Dune?' });
    expectTypeOf(pred.answer).toEqualTypeOf<string>();
    expectTypeOf(pred.trajectory).toEqualTypeOf<readonly ReActStep[]>();
    expect(pred.answer).toBe('Frank Herbert');
    expect(calls).toEqual(['Dune author']);
    expect(pred.trajectory.map((s) => [s.toolName, s.observation])).toEqual([
      ['search', 'Results for Dune author'],
      ['add', '5'],
      ['finish', 'Completed.'],
    ]);
    expect(lm.callCount).toBe(4);
    expect(pred.lmCalls).toBe(4);
    // The second step's prompt shows the first step; the extract prompt shows all three.
    const second = lm.requests[1]?.messages.at(-1)?.content ?? '';
    expect(second).toContain('Tool: search');
    expect(second).toContain('Observation: Results for Dune author');
    const system = lm.requests[0]?.messages[0]?.content ?? '';
    expect(system).toContain("`nextToolName` ('search' | 'add' | 'finish')");
    expect(system).toContain('(1) search: Searches the web.');
    expect(system).toContain('(3) finish:');
    expect(agent.namedPredictors().map(([p]) => p)).toEqual(['react', 'extract.predict']);
  });

  it('feeds tool errors and invalid arguments back as observations', async () => {
    const failing = tool(
      (): string => {
        throw new Error('service down');
      },
      { name: 'flaky', desc: 'Fails.' },
    );
    const lm = new ScriptedLM([
      { nextThought: 'Try it.', nextToolName: 'flaky', nextToolArgs: {} },
      { nextThought: 'Add badly.', nextToolName: 'add', nextToolArgs: { a: 'two' } },
      { nextThought: 'Give up.', nextToolName: 'finish', nextToolArgs: {} },
      { reasoning: 'Nothing worked.', answer: 'unknown' },
    ]);
    const agent = new ReAct('question -> answer', { tools: [failing, add], lm });
    const pred = await agent.forward({ question: 'q' });
    expect(pred.trajectory[0]?.observation).toBe("Error: tool 'flaky' failed: service down");
    expect(pred.trajectory[1]?.observation).toMatch(
      /^Error: tool 'add': invalid arguments: argument 'a': 'two' is not a number/,
    );
    expect(lm.requests[2]?.messages.at(-1)?.content).toContain("Observation: Error: tool 'flaky' failed");
    expect(pred.answer).toBe('unknown');
  });

  it('ends the loop on an unreadable step (unknown tool) and still extracts', async () => {
    const lm = new ScriptedLM((request) => {
      const system = request.messages[0]?.content ?? '';
      return system.includes('`reasoning`')
        ? { reasoning: 'No tools ran.', answer: 'unsure' }
        : { nextThought: 'Launch.', nextToolName: 'launch_rockets', nextToolArgs: {} };
    });
    const agent = new ReAct('question -> answer', { tools: [search], lm });
    const pred = await quiet(() => agent.forward({ question: 'q' }));
    expect(pred.trajectory).toEqual([]);
    expect(pred.answer).toBe('unsure');
    expect(calls).toEqual([]);
  });

  it('stops after maxIters tool calls and still extracts', async () => {
    const step = { nextThought: 'Again.', nextToolName: 'search', nextToolArgs: { query: 'x' } };
    const lm = new ScriptedLM([step, step, step, { reasoning: 'r', answer: 'partial' }]);
    const agent = new ReAct('question -> answer', { tools: [search], maxIters: 3, lm });
    const pred = await agent.forward({ question: 'q' });
    expect(pred.trajectory).toHaveLength(3);
    expect(calls).toEqual(['x', 'x', 'x']);
    expect(lm.callCount).toBe(4);
    expect(pred.answer).toBe('partial');
  });

  it('drops the oldest steps when the context window overflows, bounded', async () => {
    const overflow = () =>
      new DspyError('LM_CONTEXT_OVERFLOW', 'LM scripted: the prompt is longer than the context window');
    const lm = new ScriptedLM((request) => {
      const last = request.messages.at(-1)?.content ?? '';
      const count = (last.match(/^Step \d+$/gm) ?? []).length;
      if (count >= 2) throw overflow();
      if (
        last.includes(
          'Respond with the corresponding output fields, starting with the field `[[ ## reasoning',
        )
      )
        return { reasoning: 'r', answer: 'done' };
      return count === 1 && last.includes('Step 3')
        ? { nextThought: 'Finish.', nextToolName: 'finish', nextToolArgs: {} }
        : { nextThought: 'Search.', nextToolName: 'search', nextToolArgs: { query: 'q' } };
    });
    const agent = new ReAct('question -> answer', { tools: [search], lm });
    const pred = await quiet(() => agent.forward({ question: 'q' }));
    expect(pred.answer).toBe('done');
    expect(pred.trajectory.map((s) => s.toolName)).toEqual(['search', 'search', 'search', 'finish']);
    const last = lm.requests.at(-1)?.messages.at(-1)?.content ?? '';
    expect(last).toContain('(3 earlier steps omitted)');
    expect(last).toContain('Step 4');

    const always = new ScriptedLM(() => {
      throw overflow();
    });
    const stuck = new ReAct('question -> answer', { tools: [search], lm: always });
    const err = await quiet(() => stuck.forward({ question: 'q' })).catch((e: unknown) => e);
    expect(isDspyError(err, 'LM_CONTEXT_OVERFLOW')).toBe(true);
    expect((err as DspyError).message).toMatch(
      /^ReAct\(.+\): the prompt overflows the context window even after dropping 0 of 0 steps/,
    );
  });

  it('clones independently and round-trips its predictors through an artifact', async () => {
    const agent = new ReAct('question -> answer', { tools: [search] });
    agent.react.demos = [
      {
        question: 'q',
        trajectory: '(no steps yet)',
        nextThought: 't',
        nextToolName: 'finish',
        nextToolArgs: {},
      },
    ];
    const copy = agent.clone();
    copy.react.demos = [];
    expect(agent.react.demos).toHaveLength(1);
    expect(copy.tools.get('search')).toBe(search);
    const dir = mkdtempSync(join(tmpdir(), 'react-'));
    try {
      const path = join(dir, 'agent.json');
      await agent.save(path);
      const fresh = await new ReAct('question -> answer', { tools: [search] }).load(path);
      expect(fresh.react.demos).toEqual(agent.react.demos);
      expect(fresh.react.signature.hash).toBe(agent.react.signature.hash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects reserved and duplicate tool names and bad options', () => {
    const finish = tool(() => 'x', { name: 'finish' });
    expect(() => new ReAct('q -> a', { tools: [finish] })).toThrow(/'finish' is reserved/);
    expect(() => new ReAct('q -> a', { tools: [add, add] })).toThrow(/two tools are named 'add'/);
    expect(() => new ReAct('q -> a', { tools: [add], maxIters: 0 })).toThrow(
      /maxIters must be a positive integer/,
    );
  });
});

describe('tool()', () => {
  it('validates and coerces arguments, and wraps failures as TOOL_ERROR', async () => {
    expect(await add.call({ a: '2', b: 3 })).toBe(5);
    const err = await add.call({ a: 1 }).catch((e: unknown) => e);
    expect(isDspyError(err, 'TOOL_ERROR')).toBe(true);
    expect((err as DspyError).message).toMatch(
      /tool 'add': invalid arguments: .*must have required property 'b'/,
    );
    const boom = tool(
      (): number => {
        throw new TypeError('bad');
      },
      { name: 'boom' },
    );
    const failed = (await boom.call({}).catch((e: unknown) => e)) as DspyError;
    expect(failed.code).toBe('TOOL_ERROR');
    expect(failed.message).toContain("tool 'boom' failed: bad");
    expect(failed.cause).toBeInstanceOf(TypeError);
  });

  it('takes its schema and description from the manifest, else says to run the build', () => {
    function lookup(id: string, verbose?: boolean): string {
      return `${id}${verbose}`;
    }
    const missing = tool(lookup);
    expect(() => missing.parameters).toThrow(/tool 'lookup': no JSON Schema for its arguments/);
    try {
      void missing.params;
    } catch (e) {
      expect((e as DspyError).code).toBe('SCHEMA_MISSING');
      expect((e as DspyError).message).toContain('dspy-ts build');
    }
    registerManifest({
      version: 1,
      sourceHashes: {},
      signatures: {},
      tools: {
        lookup: {
          name: 'lookup',
          toolName: 'lookup',
          location: 'src/tools.ts:1:1',
          description: 'Looks up a record.',
          params: ['id', 'verbose'],
          parameters: {
            type: 'object',
            properties: { id: { type: 'string' }, verbose: { type: 'boolean' } },
            required: ['id'],
          },
        },
      },
    });
    const found = tool(lookup);
    expect(found.description).toBe('Looks up a record.');
    expect(found.params).toEqual(['id', 'verbose']);
  });

  it('emits toolStart and toolEnd callbacks', async () => {
    const events: string[] = [];
    await withSettings(
      {
        callbacks: [
          {
            onToolStart: (e) => events.push(`start ${e.tool}`),
            onToolEnd: (e) => events.push(`end ${e.tool} ${String(e.result)}`),
          },
        ],
      },
      () => add.call({ a: 1, b: 1 }),
    );
    expect(events).toEqual(['start add', 'end add 2']);
  });
});

describe('@Tool (TC39 decorators)', () => {
  class Library {
    constructor(private readonly prefix: string) {}

    @Tool({ desc: 'Finds a book.' })
    find(title: string): string {
      return `${this.prefix}${title}`;
    }

    @Tool({ name: 'count_books' })
    count(): number {
      return 3;
    }

    helper(): void {}
  }

  it('collects decorated methods bound to the instance, schemas from the manifest', async () => {
    registerManifest({
      version: 1,
      sourceHashes: {},
      signatures: {},
      tools: {
        'Library.find': {
          name: 'Library.find',
          toolName: 'find',
          location: 'src/library.ts:5:3',
          description: 'From JSDoc.',
          params: ['title'],
          parameters: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] },
        },
      },
    });
    const tools = toolsOf(new Library('#'));
    expect(tools.map((t) => t.name)).toEqual(['find', 'count_books']);
    expect(tools[0]?.description).toBe('Finds a book.');
    expect(await tools[0]?.call({ title: 'Dune' })).toBe('#Dune');
    expect(tools[1]?.parameters).toEqual({ type: 'object', properties: {} });
    expect(await tools[1]?.call({})).toBe(3);
  });
});
