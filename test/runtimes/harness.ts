import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ScriptedLM, startTestServer } from '../../packages/testing/src/index.js';
import { type Finished, run } from '../e2e/helpers.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const APP = fileURLToPath(new URL('./app/', import.meta.url));

/** What every runtime must print. */
export const EXPECTED = 'PREDICTION {"sentiment":"positive","confidence":0.9}';

let artifact: Promise<string> | undefined;

/** The frozen artifact's text, made once by `app/make-artifact.ts` (the app's predictor with two demos). */
export function artifactText(): Promise<string> {
  artifact ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-artifact-'));
    const file = join(dir, 'make-artifact.mjs');
    await build({
      absWorkingDir: ROOT,
      entryPoints: [join(APP, 'make-artifact.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['openai'],
      conditions: ['@dspy-ts/source'],
      tsconfig: join(APP, 'tsconfig.json'),
      logLevel: 'error',
    });
    return execFileSync(process.execPath, [file], { encoding: 'utf8' });
  })();
  return artifact;
}

/** A test server answering every request with the expected outputs. */
export function startServer() {
  return startTestServer({ lm: new ScriptedLM(() => ({ sentiment: 'positive', confidence: 0.9 })) });
}

/** One bundled entry of the app and what went into it. */
export interface AppBundle {
  readonly file: string;
  readonly code: string;
  readonly metafile: Metafile;
}

/** The runtimes the app is bundled for, each resolving `@dspy-ts/core` through its export condition. */
export type Runtime = 'node' | 'bun' | 'deno' | 'workerd' | 'browser';

/**
 * How each runtime's bundler resolves packages: Node through esbuild's `node` platform; Bun and
 * Deno through their own condition (tried before `node`, as their bundlers and loaders do) on the
 * `node` platform, whose built-ins they provide; workerd through `workerd` and `worker` on the
 * `browser` platform (as wrangler does); the browser through esbuild's `browser` platform.
 */
const TARGETS: Record<Runtime, { platform: 'node' | 'browser'; conditions: string[] }> = {
  node: { platform: 'node', conditions: [] },
  bun: { platform: 'node', conditions: ['bun'] },
  deno: { platform: 'node', conditions: ['deno'] },
  workerd: { platform: 'browser', conditions: ['workerd', 'worker'] },
  browser: { platform: 'browser', conditions: [] },
};

/**
 * Bundles `entry` of the app (`main.ts` or `worker.ts`) for `runtime` (esbuild, minified), with the
 * server URL and the artifact's text baked in, into a fresh directory. `@dspy-ts/core` resolves
 * through its package `exports` with the runtime's conditions (and `@dspy-ts/source`, so that the
 * workspace's sources are bundled rather than a build).
 */
export async function bundleApp(
  entry: 'main.ts' | 'worker.ts',
  baseURL: string,
  runtime: Runtime,
): Promise<AppBundle> {
  const dir = await mkdtemp(join(tmpdir(), `dspy-ts-runtime-${runtime}-`));
  const file = join(dir, entry.replace(/\.ts$/, '.mjs'));
  const target = TARGETS[runtime];
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(APP, entry)],
    outfile: file,
    bundle: true,
    platform: target.platform,
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    // Node built-ins are kept out rather than failing the build, so that the check below names
    // each one. The web bundles leave ajv out too: every schema the app validates is precompiled
    // (an app bundled as one file may do the same; the import is only reached for other schemas).
    external: ['node:*', ...(target.platform === 'browser' ? ['@dspy-ts/core/ajv'] : [])],
    conditions: ['@dspy-ts/source', ...target.conditions],
    tsconfig: join(APP, 'tsconfig.json'),
    define: {
      RUNTIME_TEST_BASE_URL: JSON.stringify(baseURL),
      RUNTIME_TEST_ARTIFACT: JSON.stringify(await artifactText()),
    },
    logLevel: 'error',
    write: false,
  });
  const out = result.outputFiles.find((f) => f.path === file);
  if (!out) throw new Error(`runtime tests: esbuild wrote no ${file}`);
  await writeFile(file, out.contents);
  return { file, code: out.text, metafile: result.metafile };
}

/** What a code-split web bundle of the app loads at start-up, and what it loads only on demand. */
export interface SplitBundle {
  /** Bytes of the entry chunk and the chunks it imports statically (what a page loads at start-up). */
  readonly initialBytes: number;
  /** Bytes of every chunk, the dynamically imported ones too. */
  readonly totalBytes: number;
  /** Source files bundled into the start-up chunks. */
  readonly initialInputs: readonly string[];
  /** Source files bundled only into chunks loaded by a dynamic `import()`. */
  readonly lazyInputs: readonly string[];
}

/** The outputs of `metafile` that `entry` loads at start-up: itself and its static imports, transitively. */
export function startupOutputs(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imp of metafile.outputs[file]?.imports ?? []) {
      if (imp.kind === 'import-statement' && metafile.outputs[imp.path]) stack.push(imp.path);
    }
  }
  return seen;
}

/**
 * Bundles `entry` of the app for `runtime` with code splitting (as Vite, Rollup and webpack do by
 * default), and splits what it ships into what loads at start-up and what only a dynamic import
 * loads.
 */
export async function splitApp(entry: 'main.ts' | 'worker.ts', runtime: Runtime): Promise<SplitBundle> {
  const target = TARGETS[runtime];
  const outdir = await mkdtemp(join(tmpdir(), `dspy-ts-split-${runtime}-`));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(APP, entry)],
    outdir,
    bundle: true,
    splitting: true,
    platform: target.platform,
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    external: ['node:*'],
    conditions: ['@dspy-ts/source', ...target.conditions],
    tsconfig: join(APP, 'tsconfig.json'),
    define: { RUNTIME_TEST_BASE_URL: '""', RUNTIME_TEST_ARTIFACT: '""' },
    logLevel: 'error',
    write: false,
  });
  const outputs = result.metafile.outputs;
  const main = Object.keys(outputs).find((f) => outputs[f]?.entryPoint?.endsWith(entry));
  if (!main) throw new Error(`runtime tests: esbuild wrote no chunk for ${entry}`);
  const startup = startupOutputs(result.metafile, main);
  const scripts = Object.keys(outputs).filter((f) => f.endsWith('.js'));
  const bytes = (files: Iterable<string>) => [...files].reduce((n, f) => n + (outputs[f]?.bytes ?? 0), 0);
  const inputsOf = (files: string[]) => [
    ...new Set(files.flatMap((f) => Object.keys(outputs[f]?.inputs ?? {}))),
  ];
  const initialInputs = inputsOf([...startup]);
  return {
    initialBytes: bytes(startup),
    totalBytes: bytes(scripts),
    initialInputs,
    lazyInputs: inputsOf(scripts.filter((f) => !startup.has(f))).filter((f) => !initialInputs.includes(f)),
  };
}

/** The entry of `@dspy-ts/core` a bundle resolved (`src/node.ts` for servers, `src/index.ts` for the web). */
export function coreEntry(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs)
    .filter((f) => /packages\/core\/src\/(index|node)\.ts$/.test(f))
    .sort();
}

/** The inputs of `metafile` that import a Node built-in, as `file -> specifier` lines. */
export function nodeBuiltinImports(metafile: Metafile): string[] {
  const found: string[] = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) {
      if (imp.path.startsWith('node:') || builtinModules.includes(imp.path))
        found.push(`${file} -> ${imp.path}`);
    }
  }
  return found;
}

/** The path of an executable on PATH, or `undefined`. */
export function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A binary installed by a root devDependency (`node_modules/.bin/<name>`). */
export function devBinary(name: string): string {
  return join(ROOT, 'node_modules', '.bin', name);
}

/**
 * Runs the ```ts block of docs/deploying.md that contains `marker` on core's web entry (its
 * `@dspy-ts/core` import pointed at `src/index.ts`), in a fresh Node process; `undefined` when no
 * block contains it.
 */
export async function runDeployingSnippet(marker: string): Promise<Finished | undefined> {
  const doc = await readFile(join(ROOT, 'docs/deploying.md'), 'utf8');
  const block = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((code) => code.includes(marker));
  if (block === undefined) return undefined;
  const file = join(await mkdtemp(join(tmpdir(), 'dspy-ts-doc-')), 'snippet.mts');
  const web = pathToFileURL(join(ROOT, 'packages/core/src/index.ts')).href;
  await writeFile(file, block.replace("from '@dspy-ts/core'", `from '${web}'`));
  return run(process.execPath, ['--conditions=@dspy-ts/source', '--import', 'tsx', file], {
    cwd: ROOT,
    timeoutMs: 60_000,
  });
}
