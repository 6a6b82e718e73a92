import { cp, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, run } from './helpers.js';

/** The published packages. */
export const PUBLISHED = [
  'core',
  'codegen',
  'optimize',
  'testing',
  'mcp',
  'distributed',
  'cli',
  'lancedb',
] as const;
export type Published = (typeof PUBLISHED)[number];

/** The pnpm that packs (the workspace's own version, fetched by npx). */
const PNPM = ['-y', 'pnpm@10.34.9'];

/** Workspace files a package build reads besides the packages themselves. */
const ROOT_FILES = [
  'package.json',
  'pnpm-workspace.yaml',
  'pnpm-lock.yaml',
  'tsconfig.base.json',
  'tsconfig.build.json',
];

/**
 * Copies the workspace as a clean checkout has it (sources, no `dist`) into `dir`, with its
 * installed `node_modules` linked in, so that packing builds everything from scratch and leaves
 * the working copy's own `dist` alone.
 */
async function cleanCheckout(dir: string): Promise<void> {
  for (const file of ROOT_FILES) await cp(join(ROOT, file), join(dir, file));
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const name of PUBLISHED) {
    const from = join(ROOT, 'packages', name);
    const to = join(dir, 'packages', name);
    await mkdir(to, { recursive: true });
    for (const entry of await readdir(from)) {
      if (entry === 'dist' || entry === 'test') continue;
      // pnpm's links are relative: kept as they are, `@dspy-ts/*` name the copied packages.
      await cp(join(from, entry), join(to, entry), { recursive: true, verbatimSymlinks: true });
    }
  }
}

/**
 * Packs every published package with `pnpm pack` (its `prepack` builds it; `workspace:*`
 * becomes the version) from a clean copy of the workspace under `dir`, and returns the path of
 * each tarball.
 */
export async function packWorkspace(dir: string): Promise<Record<Published, string>> {
  const checkout = join(dir, 'checkout');
  const out = join(dir, 'tarballs');
  await mkdir(out, { recursive: true });
  await cleanCheckout(checkout);
  // One pnpm for all: each package after those it depends on, one at a time (their builds
  // share the referenced projects).
  const r = await run(
    'npx',
    [...PNPM, '-r', '--workspace-concurrency=1', 'pack', '--pack-destination', out],
    {
      cwd: checkout,
      timeoutMs: 600_000,
    },
  );
  if (r.code !== 0) throw new Error(`pnpm -r pack failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  const written = await readdir(out);
  const tarballs = {} as Record<Published, string>;
  for (const name of PUBLISHED) {
    const file = written.find((f) => f.startsWith(`dspy-ts-${name}-`) && f.endsWith('.tgz'));
    if (!file) throw new Error(`pnpm -r pack wrote no tarball for packages/${name}:\n${r.stdout}`);
    tarballs[name] = join(out, file);
  }
  return tarballs;
}

/** The paths inside a tarball (without the leading `package/`). */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const r = await run('tar', ['-tzf', tarball], { cwd: ROOT });
  if (r.code !== 0) throw new Error(`tar -tzf ${tarball} failed:\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ''));
}

/** The `package.json` inside a tarball, parsed. */
export async function tarballManifest(tarball: string): Promise<Record<string, unknown>> {
  const r = await run('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: ROOT });
  if (r.code !== 0) throw new Error(`tar -xzOf ${tarball} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}
