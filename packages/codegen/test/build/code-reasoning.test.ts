import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, formatDiagnostics } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { fieldOf, signatureOf, tempProject } from './helpers.js';

const CODER = `import { type Code, InputField, OutputField, type Reasoning, Signature } from '@dspy-ts/core';

@Signature()
export class Coder {
  @InputField() task!: string;
  @InputField() draft?: Code;
  @OutputField() reasoning!: Reasoning;
  @OutputField() program!: Code<'python'>;
}

export class Methods {
  @Signature()
  async query(question: string): Promise<{ thinking: Reasoning; sql: Code<'sql'> }> {
    throw new Error('run by the LM');
  }
}
`;

const MISUSED = `import { type Code, InputField, OutputField, type Reasoning, Signature } from '@dspy-ts/core';

@Signature()
export class Wrong {
  @InputField() notes!: Reasoning;
  @OutputField() files!: Code[];
}
`;

let root = '';
let result: BuildResult;

beforeAll(async () => {
  const tsconfig = JSON.stringify({ extends: '../tsconfig.base.json', include: ['src'] });
  const a = await tempProject({
    'tsconfig.json': tsconfig,
    'src/coder.ts': CODER,
    'src/misused.ts': MISUSED,
  });
  root = a.root;
  result = await build({ project: a.tsconfig, out: join(a.dir, 'out.ts'), cache: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build step: Code and Reasoning', () => {
  it('marks Code fields with their language and Reasoning outputs', () => {
    const coder = signatureOf(result, 'Coder');
    expect(fieldOf(coder, 'program').schema).toMatchObject({
      type: 'object',
      'x-dspy-type': 'Code',
      'x-dspy-language': 'python',
    });
    const draft = fieldOf(coder, 'draft').schema;
    expect(draft['x-dspy-type']).toBe('Code');
    expect(draft['x-dspy-language']).toBeUndefined();
    expect(fieldOf(coder, 'reasoning').schema).toEqual({ type: 'string', 'x-dspy-type': 'Reasoning' });
  });

  it('marks the fields of a method signature', () => {
    const query = result.signatures.find((s) => s.name.includes('query'));
    expect(query && fieldOf(query, 'sql').schema['x-dspy-language']).toBe('sql');
    expect(query && fieldOf(query, 'thinking').schema['x-dspy-type']).toBe('Reasoning');
  });

  it('a Reasoning input and a Code array are located diagnostics', () => {
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toMatch(
      /misused\.ts:\d+:\d+ +Wrong\.notes: Reasoning \(from @dspy-ts\/core\) is a model's reasoning/,
    );
    expect(text).toMatch(
      /misused\.ts:\d+:\d+ +Wrong\.files: \[\]: Code \(from @dspy-ts\/core\) is source code/,
    );
  });
});
