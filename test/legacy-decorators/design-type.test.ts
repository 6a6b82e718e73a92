import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../packages/core/src/errors.js';
import * as signatures from '../../packages/core/src/signature/index.js';
import { ToolCalls } from '../../packages/core/src/tools/index.js';

// esbuild (vitest, tsx) does not emit design:type; tsc does with emitDecoratorMetadata. This
// compiles a source with tsc's transpiler, exactly as an app built with tsc would run it.
const SOURCE = `
import { InputField, OutputField, Signature } from '@dspy-ts/core';

@Signature({ instructions: 'Check the count.' })
export class Primitive {
  @InputField() question!: string;
  @InputField() count!: number;
  @OutputField() ok!: boolean;
}

@Signature()
export class Rich {
  @InputField() tags!: string[];
  @OutputField() answer!: string;
}

export class Service {
  @Signature()
  async run(text: string, n: number): Promise<{ done: boolean }> {
    throw new Error(text + n);
  }
}
`;

// Tool[] and ToolCalls fields: design:type is Array and the ToolCalls class, neither a primitive.
const AGENT_SOURCE = `
import { InputField, OutputField, Signature, ToolCalls, type Tool } from '@dspy-ts/core';

@Signature()
export class Agent {
  @InputField() question!: string;
  @InputField() tools!: Tool[];
  @OutputField() calls!: ToolCalls;
}

@Signature()
export class Caller {
  @InputField() question!: string;
  @OutputField() calls!: ToolCalls;
}

export class Desk {
  @Signature()
  async next(question: string, tools: Tool[]): Promise<{ calls: ToolCalls }> {
    throw new Error(question + tools.length);
  }
}
`;

function compile(source = SOURCE): Record<string, Function> {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  expect(outputText).toContain('__metadata("design:type", String)');
  const exports: Record<string, Function> = {};
  const require = (id: string) => {
    if (id === '@dspy-ts/core') return { ...signatures, ToolCalls };
    throw new Error(`unexpected import ${id}`);
  };
  new Function('exports', 'require', outputText)(exports, require);
  return exports;
}

function caught(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    return e as DspyError;
  }
  throw new Error('expected a DspyError');
}

beforeEach(() => signatures.clearManifests());

describe('design:type fallback (tsc with emitDecoratorMetadata, no manifest)', () => {
  it('types primitive fields from design:type', () => {
    const { Primitive } = compile();
    const spec = signatures.specOf(Primitive as new () => object);
    expect(spec.instructions).toBe('Check the count.');
    expect(spec.inputs).toEqual([
      { name: 'question', schema: { type: 'string' }, typeText: 'string' },
      { name: 'count', schema: { type: 'number' }, typeText: 'number' },
    ]);
    expect(spec.outputs).toEqual([{ name: 'ok', schema: { type: 'boolean' }, typeText: 'boolean' }]);
  });

  it('asks for the build step for anything richer, naming class and field', () => {
    const { Rich } = compile();
    const err = caught(() => signatures.specOf(Rich as new () => object));
    expect(err.code).toBe('SCHEMA_MISSING');
    expect(err.message).toContain('Rich.tags');
    expect(err.message).toContain('design:type Array is not a primitive');
    expect(err.details.fix).toContain('dspy-ts build');
  });

  it('reads primitive parameters of a method; outputs still need the manifest', () => {
    const { Service } = compile();
    const err = caught(() => signatures.specOf(Service as new () => { run: () => Promise<unknown> }, 'run'));
    expect(err.code).toBe('SCHEMA_MISSING');
    expect(err.details).toMatchObject({ signature: 'Service.run', field: '(return type)' });
  });

  it('Tool[] and ToolCalls fields and parameters ask for the build step, naming the field', () => {
    const { Agent, Caller, Desk } = compile(AGENT_SOURCE);
    const tools = caught(() => signatures.specOf(Agent as new () => object));
    expect(tools.code).toBe('SCHEMA_MISSING');
    expect(tools.details).toMatchObject({ signature: 'Agent', field: 'tools' });
    expect(tools.message).toContain('design:type Array is not a primitive');
    expect(tools.details.fix).toContain('dspy-ts build');
    const calls = caught(() => signatures.specOf(Caller as new () => object));
    expect(calls.code).toBe('SCHEMA_MISSING');
    expect(calls.details).toMatchObject({ signature: 'Caller', field: 'calls' });
    expect(calls.message).toContain('design:type ToolCalls is not a primitive');
    expect(calls.details.fix).toContain('dspy-ts build');
    const method = caught(() =>
      signatures.specOf(Desk as new () => { next: () => Promise<unknown> }, 'next'),
    );
    expect(method.code).toBe('SCHEMA_MISSING');
    expect(method.details).toMatchObject({ signature: 'Desk.next', field: 'tools' });
    expect(method.details.fix).toContain('dspy-ts build');
  });
});
