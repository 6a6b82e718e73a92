import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, formatDiagnostics } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { fieldOf, signatureOf, tempProject } from './helpers.js';

const MISUSED = `import { History, InputField, OutputField, Signature } from '@dspy-ts/core';

@Signature()
export class Misused {
  @InputField() question!: string;
  @InputField() nested!: { history: History };
  @InputField() either!: History | string;
  @OutputField() history!: History;
}
`;

const OWN = `import { InputField, OutputField, Signature } from '@dspy-ts/core';

/** The user's own type that happens to share the name. */
export interface History {
  turns: string[];
}

@Signature()
export class Own {
  @InputField() history!: History;
  @OutputField() answer!: string;
}
`;

let root = '';
let result: BuildResult;

beforeAll(async () => {
  const tsconfig = JSON.stringify({ extends: '../tsconfig.base.json', include: ['src'] });
  const a = await tempProject({ 'tsconfig.json': tsconfig, 'src/misused.ts': MISUSED, 'src/own.ts': OWN });
  root = a.root;
  result = await build({ project: a.tsconfig, out: join(a.dir, 'out.ts'), cache: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build step: History', () => {
  it('is a top-level input only: in an output or inside another type it is a located diagnostic', () => {
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toMatch(/misused\.ts:\d+:\d+ +Misused\.nested: history: History \(from @dspy-ts\/core\)/);
    expect(text).toMatch(/misused\.ts:\d+:\d+ +Misused\.history: History \(from @dspy-ts\/core\)/);
  });

  it('one member of a union is inside another type: a located diagnostic', () => {
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toMatch(/misused\.ts:7:\d+ +Misused\.either: History \(from @dspy-ts\/core\)/);
  });

  it("a user's own type named History is plain data, not the marked type", () => {
    const schema = fieldOf(signatureOf(result, 'Own'), 'history').schema;
    expect(schema['x-dspy-type']).toBeUndefined();
    expect(JSON.stringify(schema)).toContain('turns');
  });
});
