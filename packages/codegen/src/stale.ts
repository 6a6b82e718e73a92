import { join } from 'node:path';
import { normalizeText } from './cache.js';
import { readManifestFromModule } from './emit.js';
import { resolvePaths } from './paths.js';
import { readText, sha256 } from './write.js';

/** What {@link checkStale} found. */
export interface StaleReport {
  /** Absolute path of the generated module checked. */
  readonly outFile: string;
  /** True when the module is missing, unreadable, or any source it was built from changed. */
  readonly stale: boolean;
  /** True when there is no generated module (or it is not one). */
  readonly missing: boolean;
  /** Project-relative paths of sources changed or deleted since the build, sorted. */
  readonly changedFiles: readonly string[];
}

/**
 * Compares the source hashes recorded in a generated module with the files on disk, without
 * TypeScript, and names the files changed since the build.
 *
 * @example
 * ```ts
 * const report = await checkStale({ project: 'tsconfig.json' });
 * if (report.stale) console.warn(`run dspy-ts build: ${report.changedFiles.join(', ')} changed`);
 * ```
 */
export async function checkStale(opts: {
  project: string;
  out?: string;
  cwd?: string;
}): Promise<StaleReport> {
  const { projectDir, outFile } = resolvePaths(opts);
  const text = await readText(outFile);
  const manifest = text === undefined ? undefined : readManifestFromModule(text);
  if (!manifest) return { outFile, stale: true, missing: true, changedFiles: [] };
  const changedFiles: string[] = [];
  for (const [file, hash] of Object.entries(manifest.sourceHashes)) {
    const current = await readText(join(projectDir, file));
    if (current === undefined || sha256(normalizeText(current)) !== hash) changedFiles.push(file);
  }
  changedFiles.sort();
  return { outFile, stale: changedFiles.length > 0, missing: false, changedFiles };
}
