import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO } from './generate.js';

/**
 * Runs the JavaScript half of `@dspy-ts/core`'s build (`packages/core/scripts/bundle.mjs`, what
 * `pnpm build` writes to `packages/core/dist`) into `dir/dist`, next to a copy of its
 * package.json and a link to its dependencies, and returns the path of an entry module: the
 * server entry (`dist/node.js`, what Node resolves) unless `entry` asks for the web one.
 */
export async function buildCore(dir: string, entry: 'node' | 'index' = 'node'): Promise<string> {
  const core = join(REPO, 'packages', 'core');
  await mkdir(dir, { recursive: true });
  await copyFile(join(core, 'package.json'), join(dir, 'package.json'));
  await symlink(join(core, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const r = spawnSync(
    process.execPath,
    [join(core, 'scripts', 'bundle.mjs'), '--outdir', join(dir, 'dist')],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0)
    throw new Error(`building @dspy-ts/core failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return join(dir, 'dist', `${entry}.js`);
}
