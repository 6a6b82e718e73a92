import {
  type DspyError,
  isDspyError,
  registerManifest,
  Tool,
  tool,
  toolsOf,
  withSettings,
} from '@dspy-ts/core';
import { clearManifests } from '@dspy-ts/core/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { add } from './react-helpers.js';

afterEach(() => {
  clearManifests();
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
