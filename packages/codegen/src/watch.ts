import { existsSync, type FSWatcher, watch as fsWatch } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DspyError } from '@dspy-ts/core';
import type { FileRecord } from './assemble.js';
import { type BuildPaths, finishBuild } from './build.js';
import { normalizeText, writeCache } from './cache.js';
import { resolvePaths } from './paths.js';
import type { ProjectSession } from './project.js';
import type { BuildProgress, BuildResult } from './types.js';
import { readText, sha256 } from './write.js';

/** Options of {@link watch}. */
export interface WatchOptions {
  /** Path of the project's `tsconfig.json`. */
  readonly project: string;
  /** Path of the generated module (default `DEFAULT_OUT` beside the tsconfig). */
  readonly out?: string;
  readonly cwd?: string;
  /** Called after the first build and after every rebuild that a file change caused. */
  readonly onBuild: (result: BuildResult) => void;
  /** Called when a rebuild throws (the watcher keeps running). Default: rethrown asynchronously. */
  readonly onError?: (error: unknown) => void;
  /** Quiet period after a file event before rebuilding, in ms (default 25). */
  readonly debounceMs?: number;
  /** Called as the first build (and a rebuild after a tsconfig change) moves through its phases. */
  readonly onProgress?: (event: BuildProgress) => void;
}

/** A running watch: the first build's result, a manual trigger, and `close()`. */
export interface WatchHandle {
  /** Settles with the first build's result. */
  readonly ready: Promise<BuildResult>;
  /** Rebuilds now for the given changed files (absolute or project-relative); undefined when nothing changed. */
  rebuild(files: readonly string[]): Promise<BuildResult | undefined>;
  /** Stops watching and releases the project. */
  close(): Promise<void>;
}

const SOURCE = /\.(m|c)?tsx?$/;

type Heavy = typeof import('./project.js');

/**
 * Builds, then keeps one ts-morph project alive and re-extracts only the changed files and
 * the files that depend on them (import them, directly or not) on every change.
 *
 * @example
 * ```ts
 * const handle = watch({ project: 'tsconfig.json', onBuild: (r) => console.log(r.extractedFiles) });
 * await handle.ready;
 * // ... later
 * await handle.close();
 * ```
 */
export function watch(opts: WatchOptions): WatchHandle {
  const watcher = new ProjectWatcher(opts);
  return {
    ready: watcher.ready,
    rebuild: (files) => watcher.enqueue(files),
    close: () => watcher.close(),
  };
}

class ProjectWatcher {
  readonly ready: Promise<BuildResult>;
  private readonly paths: BuildPaths;
  private heavy?: Heavy;
  private session?: ProjectSession;
  private records = new Map<string, FileRecord>();
  private deps = new Map<string, string[]>();
  private watchers: FSWatcher[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly opts: WatchOptions) {
    this.paths = resolvePaths(opts);
    this.ready = this.serial(async () => {
      const result = await this.start();
      this.opts.onBuild(result);
      this.saveCacheLater(result);
      return result;
    });
    this.ready.catch(() => {});
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  private async start(): Promise<BuildResult> {
    const started = performance.now();
    this.opts.onProgress?.({ phase: 'loading', project: this.paths.tsconfig });
    this.heavy = await import('./project.js');
    this.session = this.heavy.openProject(this.paths);
    this.records = this.heavy.extractAll(this.session, this.opts.onProgress);
    const env = this.heavy.extractEnv(this.session);
    this.deps = new Map();
    for (const sf of this.heavy.sourceFiles(this.session)) {
      this.deps.set(sf.fileName, this.heavy.directDependencies(sf, env.checker));
    }
    if (this.watchers.length === 0) this.listen(this.session);
    const result = await this.finish([...this.records.keys()], started);
    return result;
  }

  private listen(session: ProjectSession): void {
    for (const [dir, recursive] of Object.entries(session.wildcardDirs)) {
      if (!existsSync(dir)) continue;
      const w = fsWatch(dir, { recursive }, (_event, name) => {
        if (name) this.onEvent(join(dir, name.toString()));
      });
      w.on('error', (err) => this.fail(err));
      this.watchers.push(w);
    }
    for (const config of session.configFiles) {
      const w = fsWatch(config, () => this.onEvent(config));
      w.on('error', (err) => this.fail(err));
      this.watchers.push(w);
    }
  }

  private onEvent(path: string): void {
    if (this.closed) return;
    const isConfig = this.session?.configFiles.includes(path) ?? false;
    if (!isConfig && (!SOURCE.test(path) || path.includes('node_modules') || path === this.paths.outFile))
      return;
    this.pending.add(path);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const files = [...this.pending];
      this.pending.clear();
      this.enqueue(files).catch((err: unknown) => this.fail(err));
    }, this.opts.debounceMs ?? 25);
  }

  private fail(err: unknown): void {
    if (this.opts.onError) this.opts.onError(err);
    else
      queueMicrotask(() => {
        throw err;
      });
  }

  enqueue(files: readonly string[]): Promise<BuildResult | undefined> {
    const absolute = files.map((f) => (f.startsWith('/') ? f : join(this.paths.projectDir, f)));
    return this.serial(async () => {
      if (this.closed) return undefined;
      const result = await this.update(absolute);
      if (result) {
        this.opts.onBuild(result);
        this.saveCacheLater(result);
      }
      return result;
    });
  }

  /** Applies file changes to the live project and re-extracts what they affect. */
  private async update(files: readonly string[]): Promise<BuildResult | undefined> {
    const started = performance.now();
    const { heavy, session } = this;
    if (!heavy || !session) throw new DspyError('INTERNAL', 'The watcher is not started.');
    if (files.some((f) => session.configFiles.includes(f))) return this.start();
    const changed: string[] = [];
    for (const file of new Set(files)) {
      if (file === this.paths.outFile) continue;
      const text = await readText(file);
      const existing = session.project.getSourceFile(file);
      if (text === undefined) {
        if (existing) session.project.removeSourceFile(existing);
        if (this.records.delete(file)) changed.push(file);
        this.deps.delete(file);
        continue;
      }
      if (this.records.get(file)?.hash === sha256(normalizeText(text))) continue;
      if (existing) existing.refreshFromFileSystemSync();
      else if (this.inProject(file)) session.project.addSourceFileAtPath(file);
      else continue;
      changed.push(file);
    }
    if (changed.length === 0) return undefined;
    const affected = this.dependentsOf(changed);
    const env = heavy.extractEnv(session);
    const program = session.project.getProgram().compilerObject;
    const extracted: string[] = [];
    for (const file of affected) {
      const sf = program.getSourceFile(file);
      if (!sf || sf.isDeclarationFile || file === this.paths.outFile) continue;
      this.records.set(file, heavy.extractRecord(sf, env));
      this.deps.set(file, heavy.directDependencies(sf, env.checker));
      extracted.push(file);
    }
    return this.finish(extracted, started);
  }

  private inProject(file: string): boolean {
    const dirs = this.session?.wildcardDirs ?? {};
    return !file.endsWith('.d.ts') && Object.keys(dirs).some((dir) => file.startsWith(`${dir}/`));
  }

  /**
   * The changed files plus every file that imports one of them or whose schemas were built
   * from their declarations (recorded during extraction, so a type used through a chain of
   * files is covered without re-extracting everything downstream of an import).
   */
  private dependentsOf(changed: readonly string[]): string[] {
    const hit = new Set(changed);
    const affected = new Set(changed);
    for (const [file, deps] of this.deps) {
      const typeDeps = this.records.get(file)?.extraction.dependsOn;
      if (deps.some((d) => hit.has(d)) || (typeDeps && changed.some((c) => typeDeps.has(c))))
        affected.add(file);
    }
    return [...affected];
  }

  private async finish(extracted: readonly string[], started: number): Promise<BuildResult> {
    const { heavy, session } = this;
    if (!heavy || !session) throw new DspyError('INTERNAL', 'The watcher is not started.');
    const relative = extracted.map((f) => this.records.get(f)?.file ?? f);
    return finishBuild(this.paths, this.records, relative, undefined, started, heavy.sessionNotes(session));
  }

  /**
   * Brings the file-hash cache up to date after `onBuild` ran (off the rebuild's critical
   * path), so a later `build()` of the unchanged project is a cache hit.
   */
  private saveCacheLater(result: BuildResult): void {
    const { heavy, session } = this;
    if (!heavy || !session) return;
    const inputs = heavy.cacheInputs(session, this.records);
    const { signatures, tools, diagnostics, notes, manifest } = result;
    const { projectDir, tsconfig, outFile } = this.paths;
    this.serial(() =>
      writeCache(projectDir, tsconfig, outFile, inputs, { signatures, tools, diagnostics, notes, manifest }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    await this.queue;
    this.session = undefined;
    this.records.clear();
  }
}
