import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, ManifestSignature, ManifestTool } from '@dspy-ts/core';
import type { BuildDiagnostic } from './types.js';
import { readText, sha256, writeAtomic } from './write.js';

/** Bumped whenever extraction or the cache format changes, so old caches are ignored. */
const CACHE_VERSION = 'dspy-ts-build/3';

/** What the cache remembers about the inputs of a build. */
export interface CacheInputs {
  /** SHA-256 of the tsconfig and every config it extends, by absolute path. */
  readonly configHashes: Record<string, string>;
  /** Directories the tsconfig's include patterns cover (recursive flag), as TypeScript reports them. */
  readonly wildcardDirs: Record<string, boolean>;
  /** SHA-256 of every project source file, by absolute path. */
  readonly files: Record<string, string>;
}

/** The result a cache hit returns. */
export interface CachedResult {
  readonly signatures: readonly ManifestSignature[];
  readonly tools: readonly ManifestTool[];
  readonly diagnostics: readonly BuildDiagnostic[];
  readonly notes: readonly string[];
  readonly manifest: Manifest;
}

interface CacheFile extends CacheInputs {
  readonly version: string;
  readonly tsconfig: string;
  readonly outFile: string;
  /** Modification time of every directory under the wildcard directories (a new or deleted file changes it). */
  readonly dirTimes: Record<string, number>;
  /** SHA-256 of the generated module as written (null when none was written). */
  readonly outHash: string | null;
  readonly result: CachedResult;
}

/** `<project dir>/node_modules/.cache/dspy-ts/build-<key>.json` for one tsconfig and output. */
export function cachePath(projectDir: string, tsconfig: string, outFile: string): string {
  const key = sha256(`${tsconfig}\n${outFile}`).slice(0, 12);
  return join(projectDir, 'node_modules', '.cache', 'dspy-ts', `build-${key}.json`);
}

/** Text as TypeScript reads it (no byte-order mark), so hashes agree with the extractor's. */
export function normalizeText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Every directory under the given roots (recursive ones walked), skipping node_modules and dot-directories. */
export async function directoryTimes(roots: Record<string, boolean>): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  const visit = async (dir: string, recursive: boolean): Promise<void> => {
    if (dir in times) return;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(dir);
    } catch {
      times[dir] = -1;
      return;
    }
    times[dir] = info.mtimeMs;
    if (!recursive) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries
        .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
        .map((e) => visit(join(dir, e.name), true)),
    );
  };
  await Promise.all(Object.entries(roots).map(([dir, recursive]) => visit(dir, recursive)));
  return times;
}

async function hashFiles(paths: readonly string[]): Promise<Record<string, string> | undefined> {
  const hashes: Record<string, string> = {};
  const texts = await Promise.all(paths.map((p) => readText(p)));
  for (const [i, p] of paths.entries()) {
    const text = texts[i];
    if (text === undefined) return undefined;
    hashes[p] = sha256(normalizeText(text));
  }
  return hashes;
}

function sameRecord<T>(a: Record<string, T>, b: Record<string, T>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && a[k] === b[k]);
}

/**
 * The cached result when nothing the build reads has changed: same configs, same directory
 * listing, same source hashes and an untouched generated module. Needs no TypeScript at all.
 */
export async function readFreshCache(
  projectDir: string,
  tsconfig: string,
  outFile: string,
): Promise<CachedResult | undefined> {
  const text = await readText(cachePath(projectDir, tsconfig, outFile));
  if (!text) return undefined;
  let cache: CacheFile;
  try {
    cache = JSON.parse(text) as CacheFile;
  } catch {
    return undefined;
  }
  if (cache.version !== CACHE_VERSION || cache.tsconfig !== tsconfig || cache.outFile !== outFile)
    return undefined;
  const configs = await hashFiles(Object.keys(cache.configHashes));
  if (!configs || !sameRecord(configs, cache.configHashes)) return undefined;
  const out = await readText(outFile);
  if ((out === undefined ? null : sha256(out)) !== cache.outHash) return undefined;
  if (!sameRecord(await directoryTimes(cache.wildcardDirs), cache.dirTimes)) return undefined;
  const files = await hashFiles(Object.keys(cache.files));
  if (!files || !sameRecord(files, cache.files)) return undefined;
  return cache.result;
}

/** Saves the inputs and result of a build (atomically; a failure to save is not a build failure). */
export async function writeCache(
  projectDir: string,
  tsconfig: string,
  outFile: string,
  inputs: CacheInputs,
  result: CachedResult,
): Promise<void> {
  const out = await readText(outFile);
  const file: CacheFile = {
    version: CACHE_VERSION,
    tsconfig,
    outFile,
    ...inputs,
    dirTimes: await directoryTimes(inputs.wildcardDirs),
    outHash: out === undefined ? null : sha256(out),
    result,
  };
  try {
    await writeAtomic(cachePath(projectDir, tsconfig, outFile), JSON.stringify(file));
  } catch {
    // The cache only saves time; an unwritable node_modules must not fail the build.
  }
}
