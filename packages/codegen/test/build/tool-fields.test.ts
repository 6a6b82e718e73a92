import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, formatDiagnostics } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { fieldOf, signatureOf, tempProject } from './helpers.js';

const MISUSED = `import { History, InputField, OutputField, Signature, Tool, ToolCalls } from '@dspy-ts/core';

@Signature()
export class Misused {
  @InputField() calls!: ToolCalls;
  @InputField() nested!: { tools: Tool[] };
  @InputField() either!: Tool[] | string;
  @InputField() one!: Tool;
  @InputField() grid!: Tool[][];
  @OutputField() tools!: Tool[];
  @OutputField() wrapped!: { calls: ToolCalls };
  @OutputField() listed!: ToolCalls[];
}

@Signature()
export class TwoCalls {
  @InputField() tools!: Tool[];
  @OutputField() calls!: ToolCalls;
  @OutputField() moreCalls!: ToolCalls;
}

export class Agent {
  @Signature()
  async act(calls: ToolCalls, tools: Tool[]): Promise<{ first: ToolCalls; second: ToolCalls; back: Tool[] }> {
    throw new Error(String(calls) + String(tools));
  }

  @Tool()
  delegate(tools: Tool[], history: History, calls: ToolCalls): string {
    return String(tools) + String(history) + String(calls);
  }
}
`;

const OWN = `import { InputField, OutputField, Signature } from '@dspy-ts/core';

/** The user's own types that happen to share the names. */
export interface Tool {
  name: string;
}
export class ToolCalls {
  count = 0;
}

@Signature()
export class Own {
  @InputField() tools!: Tool[];
  @OutputField() calls!: ToolCalls;
}
`;

let root = '';
let result: BuildResult;
let lines: string[] = [];

beforeAll(async () => {
  const tsconfig = JSON.stringify({ extends: '../tsconfig.base.json', include: ['src'] });
  const a = await tempProject({ 'tsconfig.json': tsconfig, 'src/misused.ts': MISUSED, 'src/own.ts': OWN });
  root = a.root;
  result = await build({ project: a.tsconfig, out: join(a.dir, 'out.ts'), cache: false });
  lines = formatDiagnostics(result.diagnostics).split('\n');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TOOLS =
  'Tool[] (from @dspy-ts/core) is the tools a model may call: use it as the whole type of an input field';
const CALLS =
  'ToolCalls (from @dspy-ts/core) is the tool calls a model makes: use it as the whole type of an output field';
const TOOL = 'a Tool (from @dspy-ts/core) is code, not data a model reads or writes';

/** The diagnostic lines at `file:line` (any column). */
function at(line: number): string[] {
  return lines.filter((l) => l.startsWith(`src/misused.ts:${line}:`));
}

describe('build step: Tool[] and ToolCalls used where they do not belong', () => {
  it('ToolCalls as an input, either one inside another type or a union, and a bare Tool are located diagnostics', () => {
    expect(at(5)).toEqual([
      expect.stringMatching(/^src\/misused\.ts:5:\d+ {2}Misused\.calls: ToolCalls \(from/),
    ]);
    expect(at(5)[0]).toContain(CALLS);
    expect(at(6)).toEqual([
      `src/misused.ts:6:17  Misused.nested: tools: ${TOOLS} (tools: Tool[]), not in an output or inside another type`,
    ]);
    expect(at(7).join('\n')).toContain(`Misused.either: ${TOOLS}`);
    expect(at(8).join('\n')).toContain(`Misused.one: ${TOOL}`);
    expect(at(9).join('\n')).toContain(`Misused.grid: []: ${TOOLS}`);
  });

  it('Tool[] as an output and ToolCalls nested in an output are located diagnostics', () => {
    expect(at(10).join('\n')).toContain(`Misused.tools: ${TOOLS}`);
    expect(at(11).join('\n')).toContain(`Misused.wrapped: calls: ${CALLS}`);
    expect(at(12).join('\n')).toContain(`Misused.listed: []: ${CALLS}`);
    expect(result.signatures.map((s) => s.name)).not.toContain('Misused');
  });

  it('a second ToolCalls output is a diagnostic at that field, naming the first (class and method)', () => {
    expect(at(19)).toEqual([
      "src/misused.ts:19:18  TwoCalls.moreCalls: a signature has at most one ToolCalls output and 'calls' is one already: put every call of a turn in that field and remove this one",
    ]);
    expect(at(17)).toEqual([]);
    const method = at(24).join('\n');
    expect(method).toContain(`Agent.act.calls: ${CALLS}`);
    expect(method).toContain(
      "Agent.act.second: a signature has at most one ToolCalls output and 'first' is one already",
    );
    expect(method).toContain(`Agent.act.back: ${TOOLS}`);
    expect(method).not.toContain('Agent.act.tools:');
    expect(method).not.toContain('Agent.act.first:');
  });

  it("a tool's parameters cannot be Tool[], History or ToolCalls: located at each parameter", () => {
    const notData = (type: string) =>
      `${type} (from @dspy-ts/core) is the type of a signature's field, not of a tool's parameter: a tool takes the JSON data a model writes`;
    expect(at(29)).toEqual([
      `src/misused.ts:29:12  Agent.delegate.tools: ${notData('Tool[]')}`,
      `src/misused.ts:29:27  Agent.delegate.history: ${notData('History')}`,
      `src/misused.ts:29:45  Agent.delegate.calls: ${notData('ToolCalls')}`,
    ]);
    expect(result.tools.map((t) => t.name)).not.toContain('Agent.delegate');
  });

  it("a user's own types named Tool and ToolCalls are plain data, not the marked types", () => {
    expect(lines.filter((l) => l.startsWith('src/own.ts'))).toEqual([]);
    const own = signatureOf(result, 'Own');
    expect(fieldOf(own, 'tools').schema['x-dspy-type']).toBeUndefined();
    expect(fieldOf(own, 'calls').schema['x-dspy-type']).toBeUndefined();
    expect(JSON.stringify(fieldOf(own, 'calls').schema)).toContain('count');
  });
});
