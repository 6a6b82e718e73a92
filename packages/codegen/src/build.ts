import { performance } from 'node:perf_hooks';
import { type Assembled, assemble, type FileRecord } from './assemble.js';
import { type CachedResult, type CacheInputs, readFreshCache, writeCache } from './cache.js';
import { generateModule } from './emit.js';
import { resolvePaths } from './paths.js';
import type { BuildOptions, BuildProgress, BuildResult } from './types.js';
import { writeIfChanged } from './write.js';

/** Absolute paths of one build. */
export interface BuildPaths {
  readonly tsconfig: string;
  readonly projectDir: string;
  readonly outFile: string;
}

/**
 * Runs the build step: finds every `@Signature` class and method and every `@Tool` in the
 * project, extracts JSON Schemas with the type checker, and writes one generated module.
 * A rebuild with no changed file returns the cached result without starting TypeScript.
 *
 * @example
 * ```ts
 * const result = await build({ project: 'tsconfig.json' });
 * if (result.diagnostics.length > 0) {
 *   process.stderr.write(`${formatDiagnostics(result.diagnostics)}\n`);
 *   process.exitCode = 1;
 * }
 * ```
 */
export async function build(opts: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const paths = resolvePaths(opts);
  if (opts.cache !== false) {
    const hit = await readFreshCache(paths.projectDir, paths.tsconfig, paths.outFile);
    if (hit) return fromCached(hit, paths.outFile, started);
  }
  opts.onProgress?.({ phase: 'loading', project: paths.tsconfig });
  const heavy = await import('./project.js');
  const session = heavy.openProject(paths);
  const records = heavy.extractAll(session, opts.onProgress);
  const inputs = opts.cache !== false ? heavy.cacheInputs(session, records) : undefined;
  return finishBuild(
    paths,
    records,
    [...records.values()].map((r) => r.file),
    inputs,
    started,
    heavy.sessionNotes(session),
    opts.onProgress,
  );
}

function fromCached(hit: CachedResult, outFile: string, started: number): BuildResult {
  return {
    ...hit,
    outFile,
    fromCache: true,
    written: false,
    extractedFiles: [],
    durationMs: performance.now() - started,
  };
}

/**
 * Assembles records into the manifest, writes the generated module when the build is clean
 * (and its text changed), saves the cache, and returns the result. Shared by build and watch.
 */
export async function finishBuild(
  paths: BuildPaths,
  records: Map<string, FileRecord>,
  extractedFiles: readonly string[],
  inputs: CacheInputs | undefined,
  started: number,
  notes: readonly string[] = [],
  onProgress?: (event: BuildProgress) => void,
): Promise<BuildResult> {
  const assembled: Assembled = assemble(records.values());
  const clean = assembled.diagnostics.length === 0;
  if (clean) onProgress?.({ phase: 'writing', file: paths.outFile });
  const written = clean
    ? await writeIfChanged(
        paths.outFile,
        generateModule(assembled.manifest, assembled.registry, paths.outFile),
      )
    : false;
  const result: CachedResult = {
    signatures: assembled.signatures,
    tools: assembled.tools,
    diagnostics: assembled.diagnostics,
    notes: [...notes, ...assembled.notes],
    manifest: assembled.manifest,
  };
  if (inputs) await writeCache(paths.projectDir, paths.tsconfig, paths.outFile, inputs, result);
  return {
    ...result,
    outFile: paths.outFile,
    fromCache: false,
    written,
    extractedFiles: [...extractedFiles].sort(),
    durationMs: performance.now() - started,
  };
}
