import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { specOf } from '@dspy-ts/core';
import { isToolCallsField, isToolsField } from '@dspy-ts/core/internal';
import { Project } from 'ts-morph';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, DEFAULT_OUT } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { FIXTURES } from './helpers.js';

const tsconfig = join(FIXTURES, 'app', 'tsconfig.json');
let result: BuildResult;

beforeAll(async () => {
  result = await build({ project: tsconfig, cache: false });
});

describe('build step: the generated module (against the real @dspy-ts/core)', () => {
  it('is written to DEFAULT_OUT beside the tsconfig, without a time stamp', async () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.outFile).toBe(join(FIXTURES, 'app', DEFAULT_OUT));
    const text = await readFile(result.outFile, 'utf8');
    expect(text).toContain(
      "import { type Manifest, registerManifest, registerValidators } from '@dspy-ts/core';",
    );
    // Validators ajv compiled at build time, handed to core with the manifest.
    expect(text).toContain('registerValidators(manifest, {\n  signatures: {\n');
    expect(text).toContain(
      "    QA: { target: typeof import('./qa.js').QA; inputs: 'question' | 'context'; outputs: 'answer' };",
    );
    expect(text).toContain(
      "    SupportTriage: { target: typeof import('./triage.js').SupportTriage; inputs: 'ticket' | 'openQueues'; outputs: 'category' | 'urgency' | 'summary' };",
    );
    // No time stamp; that a fresh build rewrites the same text is checked in cache.test.ts (on a
    // fixture without the real core, which is much cheaper to build twice).
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('type-checks, and its registry entries type the signature classes', () => {
    const project = new Project({ tsConfigFilePath: tsconfig });
    const own = [
      result.outFile,
      join(FIXTURES, 'app', 'src', 'typed.ts'),
      join(FIXTURES, 'app', 'src', 'triage.ts'),
    ];
    const messages = own.flatMap((file) =>
      project
        .getSourceFileOrThrow(file)
        .getPreEmitDiagnostics()
        .map((d) => project.formatDiagnosticsWithColorAndContext([d])),
    );
    expect(messages).toEqual([]);
  });

  it('registers every spec on import: specOf returns the build-step schemas and hashes', async () => {
    await import(pathToFileURL(result.outFile).href);
    const { SupportTriage } = await import('../fixtures/app/src/triage.js');
    const spec = specOf(SupportTriage);
    const entry = result.manifest.signatures.SupportTriage;
    expect(spec.instructions).toBe('Route a support ticket to the right queue and judge its urgency.');
    expect(spec.hash).toBe(entry?.hash);
    expect(spec.inputs.map((f) => [f.name, f.typeText, f.description, f.optional ?? false])).toEqual([
      ['ticket', 'Ticket', 'the ticket to route', false],
      ['openQueues', 'Category[]', 'Queues that are open today.', true],
    ]);
    expect(spec.outputs.find((f) => f.name === 'urgency')?.schema).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 5,
    });
    expect(spec.inputs[0]?.schema).toEqual(entry?.inputs[0]?.schema);
  });

  it('a Tool[] input and a ToolCalls output are the fields adapters treat as tools and tool calls (class and method)', async () => {
    await import(pathToFileURL(result.outFile).href);
    const { Desk, NextToolCalls } = await import('../fixtures/app/src/agent.js');
    for (const spec of [specOf(NextToolCalls), specOf(Desk, 'next')]) {
      expect(spec.inputs.map((f) => [f.name, isToolsField(f)])).toEqual([
        ['question', false],
        ['tools', true],
      ]);
      expect(spec.outputs.map((f) => [f.name, isToolCallsField(f)])).toEqual([
        ['thought', false],
        ['calls', true],
      ]);
      expect(spec.hash).toBe(result.manifest.signatures[spec.name]?.hash);
    }
    expect(specOf(Desk, 'next').inputs[1]?.description).toBe('the tools on offer');
  });
});
