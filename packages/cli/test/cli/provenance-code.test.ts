// An artifact's provenance is text from whoever wrote the artifact: nothing in it may make the
// CLI import a module, and the CLI never suggests running one from outside the project.
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Artifact, isDspyError, Predict } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { programForArtifact } from '../../src/artifact-program.js';
import { chooseMetric, resolveMetric } from '../../src/metric.js';

async function evilModule(): Promise<{ file: string; marker: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-evil-'));
  const marker = join(dir, 'ran');
  const file = join(dir, 'evil.mjs');
  await writeFile(
    file,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default () => 1;\n`,
  );
  return { file, marker };
}

const withMetric = (metric: string) => ({ provenance: { metric } }) as unknown as Artifact;
const program = new Predict('text -> label');

describe('a metric recorded in provenance', () => {
  it('names a field only: a path smuggled into it is refused and never imported', async () => {
    const { file, marker } = await evilModule();
    for (const recorded of [
      `exactMatch(/../../../..${file}#default)`,
      `f1(${file}#default)`,
      `${file}#default`,
    ]) {
      let err: unknown;
      try {
        const choice = chooseMetric(undefined, withMetric(recorded));
        await resolveMetric(choice.text, program);
      } catch (e) {
        err = e;
      }
      expect(isDspyError(err, 'CLI_USAGE'), String(err)).toBe(true);
      expect((err as Error).message).not.toContain(file);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('a recorded built-in on a field is used as that field', () => {
    expect(chooseMetric(undefined, withMetric('exactMatch(label)'))).toEqual({
      text: 'exactMatch:label',
      source: 'artifact',
    });
  });
});

describe('the program an artifact was compiled from', () => {
  it('is suggested only when it is a file of the project, and printed without control characters', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'dspy-ts-project-'));
    const { file } = await evilModule();
    const artifact = {
      provenance: { program: { module: file, export: 'default\u001b[2J' } },
    } as unknown as Artifact;
    let err: unknown;
    try {
      programForArtifact(
        undefined,
        {},
        artifact,
        join(cwd, 'a.json'),
        { stdout: process.stdout, stderr: process.stderr },
        cwd,
      );
    } catch (e) {
      err = e;
    }
    expect(isDspyError(err, 'CLI_USAGE')).toBe(true);
    const fix = String((err as { details: { fix: string } }).details.fix);
    expect(fix).toContain('--program src/x.ts#Export');
    expect(fix).not.toContain('evil.mjs');
    let note = '';
    const stderr = {
      write: (t: string) => {
        note += t;
        return true;
      },
    };
    const io = { stdout: process.stdout, stderr };
    programForArtifact('src/app.ts#App', {}, artifact, join(cwd, 'a.json'), io, cwd);
    expect(note).toContain('evil.mjs');
    expect(note).not.toContain('\u001b');
  });
});
