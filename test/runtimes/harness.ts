import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ScriptedLM, startTestServer } from '../../packages/testing/src/index.js';

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

/**
 * Bundles `entry` of the app (`main.ts` or `worker.ts`) for the web (esbuild, platform browser,
 * minified) with the server URL and the artifact's text baked in, into a fresh directory.
 */
export async function bundleApp(entry: 'main.ts' | 'worker.ts', baseURL: string): Promise<AppBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-runtime-'));
  const file = join(dir, entry.replace(/\.ts$/, '.mjs'));
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(APP, entry)],
    outfile: file,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    // Kept out rather than failing the build, so that the check below names each one.
    external: ['node:*'],
    conditions: ['@dspy-ts/source'],
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
