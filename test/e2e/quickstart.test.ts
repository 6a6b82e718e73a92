import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, run } from './helpers.js';

const EXAMPLE = join(ROOT, 'examples/quickstart');
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe("the README's main command (pnpm quickstart)", () => {
  it('builds, compiles, reloads in a fresh process and prints a higher compiled score', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'dspy-ts-quickstart-'));
    dirs.push(cache);
    // What `pnpm --filter @dspy-ts/example-quickstart run start` runs, without the LM variables.
    const env = { DSPY_TS_CACHE_DIR: cache, DSPY_TS_LM: '', OPENAI_API_KEY: '' };
    const build = await run(process.execPath, [BIN, 'build'], { cwd: EXAMPLE, env });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toContain('1 signature(s)');
    const main = await run(
      process.execPath,
      ['--conditions=@dspy-ts/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd: EXAMPLE,
        env,
      },
    );
    expect(main.code, main.stderr).toBe(0);
    expect(main.stdout).toContain('LM: OfflineLM');
    expect(main.stdout).toMatch(/fresh process: loaded \d+ demos/);
    const match = main.stdout.match(/baseline ([\d.]+)% → compiled ([\d.]+)%/);
    expect(match, main.stdout).not.toBeNull();
    const [before, after] = [Number(match?.[1]), Number(match?.[2])];
    expect(after).toBeGreaterThan(before);
  }, 180_000);
});
