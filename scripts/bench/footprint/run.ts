/**
 * Footprint of an app that only loads frozen programs:
 * - the core-only install: `@dspy-ts/core` packed (its `prepack` builds it) and installed with
 *   npm into an empty project; the size of its `node_modules` (target ≤ 25 MB);
 * - a minified esbuild bundle (platform browser) of a Predict + loadArtifact app, with and
 *   without the `openai` package (target ≤ 150 kB without it).
 * Usage: node --conditions=@dspy-ts/source --import tsx scripts/bench/footprint/run.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORE = join(ROOT, 'packages/core');

/** Bytes of every file under `dir` (the apparent size, as `du --apparent-size` counts). */
async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function installSize(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-footprint-'));
  execFileSync('npx', ['-y', 'pnpm@10.34.9', 'pack', '--pack-destination', dir], {
    cwd: CORE,
    stdio: 'ignore',
  });
  const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('footprint: pnpm pack wrote no tarball');
  const app = join(dir, 'app');
  execFileSync('mkdir', ['-p', app]);
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'footprint-app', private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', join(dir, tarball)], {
    cwd: app,
    stdio: 'ignore',
  });
  return sizeOf(join(app, 'node_modules'));
}

async function bundleSize(withOpenAI: boolean): Promise<number> {
  const result = await build({
    stdin: {
      contents: `import { LM, Predict, loadArtifact } from '@dspy-ts/core';
export async function answer(artifact, baseURL, question) {
  const qa = await new Predict('question: string -> answer: string', { lm: new LM('m', { baseURL }) }).load(await loadArtifact(artifact));
  return (await qa.forward({ question })).answer;
}`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    conditions: ['@dspy-ts/source'],
    external: withOpenAI ? [] : ['openai'],
    logLevel: 'error',
    alias: { '@dspy-ts/core': join(CORE, 'src/index.ts') },
  });
  return result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
const without = await bundleSize(false);
const withIt = await bundleSize(true);
console.log(
  `bundle (Predict + loadArtifact, minified, browser): ${kB(without)} without openai, ${kB(withIt)} with it`,
);
const install = await installSize();
console.log(`core-only install (npm, node_modules): ${(install / 1e6).toFixed(1)} MB`);
