import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliFix } from '../../src/fix-text.js';
import { createCli, type Io } from '../../src/index.js';

const silent: Io = { stdout: { write: () => true }, stderr: { write: () => true } };

describe('fix texts name options the command line has', () => {
  it('every --option in a CLI message is an option of some command', async () => {
    const cli = createCli(silent, async () => {});
    const known = new Set(['--help', '--version']);
    for (const cmd of cli.commands) for (const opt of cmd.options) if (opt.long) known.add(opt.long);
    const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = (await readdir(srcDir, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const named = new Set<string>();
    for (const file of files) {
      const text = await readFile(join(srcDir, file), 'utf8');
      // Options inside string literals only (messages, fixes), not `--` in comments' prose.
      for (const literal of text.match(/(['`"])(?:(?!\1).)*\1/g) ?? []) {
        for (const [flag] of literal.matchAll(/--[a-z][a-z-]+/g)) named.add(flag);
      }
    }
    const unknown = [...named].filter((flag) => !known.has(flag));
    expect(unknown).toEqual([]);
    expect(named.has('--allow-signature-drift')).toBe(true);
  });

  it('library fix texts written for the API are given in the options of each command', () => {
    const drift =
      'The signatures changed since the artifact was compiled: recompile and save again, or pass { allowSignatureDrift: true } to load the saved demos and instructions anyway.';
    expect(cliFix(drift, 'run')).toContain('pass --allow-signature-drift');
    expect(cliFix(drift, 'run')).not.toContain('{');
    expect(cliFix('Fix the failing program (see the first errors), or raise maxErrors.', 'eval')).toContain(
      'raise --max-errors',
    );
    expect(cliFix('Fix the metric, or pass probeMetric: false if it needs them.', 'compile')).toContain(
      `--options '{"probeMetric": false}'`,
    );
    expect(cliFix('Check the path.', 'run')).toBeUndefined();
  });
});
