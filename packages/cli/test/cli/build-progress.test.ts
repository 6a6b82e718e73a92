import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, runCli } from '../../src/index.js';

const PROJECT = fileURLToPath(
  new URL('../../../codegen/test/fixtures/decorators/tsconfig.json', import.meta.url),
);

describe('dspy-ts build --progress', () => {
  it('shows the phases of the build on stderr; --no-progress and a non-terminal stderr show none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-cli-build-'));
    try {
      const run = async (...flags: string[]) => {
        let err = '';
        const io = { stdout: { write: () => true }, stderr: { write: (t: string) => (err += t) } };
        const args = ['build', '--project', PROJECT, '--out', join(dir, 'gen.ts'), '--no-cache', ...flags];
        expect(await runCli(args, io)).toBe(EXIT_OK);
        return err;
      };
      const shown = await run('--progress');
      expect(shown).toContain('dspy-ts build: reading 3 file(s)…');
      expect(shown).toContain('dspy-ts build: extracting from 3 file(s)…');
      expect(await run('--no-progress')).toBe('');
      expect(await run()).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
