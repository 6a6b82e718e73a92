/**
 * Footprint of an app that only loads frozen programs:
 * - the core-only install: `@dspy-ts/core` packed (its `prepack` builds it) and installed with
 *   npm into an empty project; the size of its `node_modules` (target ≤ 25 MB);
 * - minified esbuild bundles (platform browser, so `@dspy-ts/core` resolves to its web entry) of
 *   two Predict + artifact apps, with and without the `openai` package (target ≤ 150 kB without):
 *   the runtime tests' app (a signature from the build step's generated module, with its
 *   precompiled validators, loading an artifact from its text) and a string-signature app. Each
 *   is bundled as one file (every dynamic import inlined; and with `@dspy-ts/core/ajv`, which
 *   only schemas without a precompiled validator need, marked external) and with code splitting (as Vite,
 *   Rollup and webpack do): what loads at start-up (the entry chunk and its static imports) and
 *   everything shipped (lazy chunks too: ajv, the offline model, ProgramOfThought's sandbox).
 * - what a browser-platform app actually loads to run one prediction: the runtime tests' app,
 *   code-split (openai included), written to disk and run in Node against the loopback test
 *   server with a module hook that records every chunk it loads; reported without the chunks
 *   of the `openai` package (target ≤ 150 kB), for an artifact of text demos and for one whose
 *   demo holds an image (its SHA-256 is checked on load).
 * Usage: node --conditions=@dspy-ts/source --import tsx scripts/bench/footprint/run.ts
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ScriptedLM, startTestServer } from '../../../packages/testing/src/index.js';
import { artifactText } from '../../../test/runtimes/harness.js';

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

/** The apps bundled: their entry module's text. */
const APPS = {
  generated: `export { rateReview } from './test/runtimes/app/app.ts';`,
  string: `import { LM, Predict, loadArtifact } from '@dspy-ts/core';
export async function answer(artifact, baseURL, question) {
  const qa = await new Predict('question: string -> answer: string', { lm: new LM('m', { baseURL }) }).load(await loadArtifact(artifact));
  return (await qa.forward({ question })).answer;
}`,
} as const;

interface Sizes {
  /** One file, every dynamic import inlined. */
  readonly single: number;
  /** One file with `@dspy-ts/core/ajv` left out (marked external), as an app whose schemas are all precompiled may. */
  readonly singleWithoutAjv: number;
  /** Code splitting: the entry chunk and the chunks it imports statically. */
  readonly startup: number;
  /** Code splitting: every chunk. */
  readonly total: number;
  /** Code splitting: the biggest chunks loaded only by a dynamic import, by their main input. */
  readonly lazy: readonly [string, number][];
}

async function bundle(app: keyof typeof APPS, withOpenAI: boolean, splitting: boolean, withAjv = true) {
  return build({
    stdin: { contents: APPS[app], resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    splitting,
    outdir: join(tmpdir(), 'dspy-ts-footprint-out'),
    conditions: ['@dspy-ts/source'],
    external: [...(withOpenAI ? [] : ['openai']), ...(withAjv ? [] : ['@dspy-ts/core/ajv'])],
    tsconfig: join(ROOT, 'test/runtimes/app/tsconfig.json'),
    logLevel: 'error',
  });
}

async function bundleSizes(app: keyof typeof APPS, withOpenAI: boolean): Promise<Sizes> {
  const single = await bundle(app, withOpenAI, false);
  const singleWithoutAjv = await bundle(app, withOpenAI, false, false);
  const split = await bundle(app, withOpenAI, true);
  const outputs = split.metafile.outputs;
  const entry = Object.keys(outputs).find((f) => outputs[f]?.entryPoint === '<stdin>');
  if (!entry) throw new Error('footprint: esbuild wrote no entry chunk');
  const startup = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (startup.has(file)) continue;
    startup.add(file);
    for (const imp of outputs[file]?.imports ?? []) {
      if (imp.kind === 'import-statement' && outputs[imp.path]) stack.push(imp.path);
    }
  }
  const scripts = Object.keys(outputs).filter((f) => f.endsWith('.js'));
  const bytes = (files: Iterable<string>) => [...files].reduce((n, f) => n + (outputs[f]?.bytes ?? 0), 0);
  const lazy = scripts
    .filter((f) => !startup.has(f))
    .map((f): [string, number] => {
      const inputs = Object.entries(outputs[f]?.inputs ?? {}).sort(
        (a, b) => b[1].bytesInOutput - a[1].bytesInOutput,
      );
      const main = (outputs[f]?.entryPoint ?? inputs[0]?.[0] ?? f).replace(/^.*node_modules\//, '');
      return [main, outputs[f]?.bytes ?? 0];
    })
    .sort((a, b) => b[1] - a[1]);
  return {
    single: single.outputFiles.reduce((n, f) => n + f.contents.length, 0),
    singleWithoutAjv: singleWithoutAjv.outputFiles.reduce((n, f) => n + f.contents.length, 0),
    startup: bytes(startup),
    total: bytes(scripts),
    lazy: lazy.slice(0, 4),
  };
}

/** Records every module file Node loads (module customization hooks run off the main thread). */
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.FOOTPRINT_LOADED, url + '\\n');
  return next(url, context);
}`;
const REGISTER = `import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);`;

/** Checks that the app printed its prediction. */
function expectPrediction(output: string): void {
  if (!output.includes('PREDICTION {"sentiment":"positive"')) {
    throw new Error(`footprint: the bundled app printed no prediction:\n${output}`);
  }
}

/** Runs `outdir/main.js` in Node with the recording hook; returns the paths of the files it loaded. */
async function runInNode(outdir: string): Promise<string[]> {
  await writeFile(join(outdir, 'hooks.mjs'), HOOKS);
  await writeFile(join(outdir, 'register.mjs'), REGISTER);
  const log = join(outdir, 'loaded.txt');
  await writeFile(log, '');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', join(outdir, 'register.mjs'), join(outdir, 'main.js')],
      { env: { ...process.env, FOOTPRINT_LOADED: log } },
      (error, out, err) =>
        error ? reject(new Error(`footprint: the bundled app failed:\n${err}`)) : resolve(out),
    );
  });
  expectPrediction(stdout);
  return (await readFile(log, 'utf8'))
    .split('\n')
    .filter((url) => url.length > 0)
    .map((url) => fileURLToPath(url));
}

/**
 * Runs `outdir/main.js` as a module script of a page in headless Chromium (Debian's `chromium`,
 * driven by `playwright-core`), served from the test server's origin; returns the paths of the
 * scripts the page requested.
 */
async function runInChromium(outdir: string, serverUrl: string): Promise<string[]> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const origin = new URL(serverUrl).origin;
    const requested: string[] = [];
    const printed: string[] = [];
    page.on('console', (message) => printed.push(message.text()));
    await page.route(`${origin}/app/**`, async (route) => {
      const name = new URL(route.request().url()).pathname.slice('/app/'.length);
      if (name === 'index.html') {
        return route.fulfill({
          contentType: 'text/html',
          body: '<!doctype html><script type="module" src="/app/main.js"></script>',
        });
      }
      requested.push(join(outdir, name));
      return route.fulfill({
        contentType: 'text/javascript',
        body: await readFile(join(outdir, name), 'utf8'),
      });
    });
    await page.goto(`${origin}/app/index.html`);
    await page.waitForLoadState('load');
    for (
      let waited = 0;
      !printed.some((line) => line.startsWith('PREDICTION')) && waited < 30_000;
      waited += 100
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expectPrediction(printed.join('\n'));
    return requested;
  } finally {
    await browser.close();
  }
}

/** Debian's Chromium, when installed (the runtime tests install it). */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

interface Loaded {
  /** Bytes of every chunk the run loaded. */
  readonly loaded: number;
  /** Of those, bytes of the `openai` package's code. */
  readonly openai: number;
  /** Bytes of the chunks shipped (loaded or not). */
  readonly shipped: number;
  /** The main input of each chunk loaded, with its bytes. */
  readonly chunks: readonly [string, number][];
}

/**
 * Bundles the runtime tests' app (`test/runtimes/app/main.ts`) code-split for the browser platform,
 * with the server URL and `artifact` baked in, runs it in Node (whose fetch, Web Crypto and
 * TextEncoder are the web's), checks it printed its prediction, and sums the chunks it loaded.
 */
async function loadedToPredict(
  entry: string,
  artifact: string,
  fromDist: boolean,
  where: 'node' | 'chromium',
): Promise<Loaded> {
  const server = await startTestServer({
    lm: new ScriptedLM(() => ({ sentiment: 'positive', confidence: 0.9 })),
  });
  try {
    const outdir = await mkdtemp(join(tmpdir(), 'dspy-ts-footprint-run-'));
    const result = await build({
      absWorkingDir: ROOT,
      entryPoints: { main: join(ROOT, entry) },
      outdir,
      bundle: true,
      splitting: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      metafile: true,
      write: true,
      conditions: fromDist ? [] : ['@dspy-ts/source'],
      tsconfig: join(ROOT, 'test/runtimes/app/tsconfig.json'),
      define: {
        RUNTIME_TEST_BASE_URL: JSON.stringify(server.url),
        RUNTIME_TEST_ARTIFACT: JSON.stringify(artifact),
      },
      logLevel: 'error',
    });
    const outputs = result.metafile.outputs;
    const byFile = new Map(Object.keys(outputs).map((f) => [join(ROOT, f), f]));
    const loadedFiles = new Set(
      (where === 'chromium' ? await runInChromium(outdir, server.url) : await runInNode(outdir))
        .map((path) => byFile.get(path))
        .filter((f): f is string => f !== undefined),
    );
    let loaded = 0;
    let openai = 0;
    const chunks: [string, number][] = [];
    for (const file of loadedFiles) {
      const output = outputs[file];
      if (!output) continue;
      loaded += output.bytes;
      const inputs = Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
      for (const [input, { bytesInOutput }] of inputs) {
        if (/node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?openai\//.test(input)) openai += bytesInOutput;
      }
      const main = (output.entryPoint ?? inputs[0]?.[0] ?? file).replace(/^.*node_modules\//, '');
      chunks.push([main, output.bytes]);
    }
    const shipped = Object.keys(outputs)
      .filter((f) => f.endsWith('.js'))
      .reduce((n, f) => n + (outputs[f]?.bytes ?? 0), 0);
    return { loaded, openai, shipped, chunks: chunks.sort((a, b) => b[1] - a[1]) };
  } finally {
    await server.close();
  }
}

/** The runtime tests' artifact with its demo's image removed: two text demos. */
function withoutMedia(text: string): string {
  const artifact = JSON.parse(text) as {
    formatVersion: number;
    predictors: Record<string, { demos: Record<string, unknown>[] }>;
  };
  for (const predictor of Object.values(artifact.predictors)) {
    for (const demo of predictor.demos) delete demo.photo;
  }
  artifact.formatVersion = 1;
  return JSON.stringify(artifact);
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`;
// Packing builds core's dist, which the last figures bundle from.
const install = await installSize();
for (const app of ['generated', 'string'] as const) {
  for (const withOpenAI of [false, true]) {
    const sizes = await bundleSizes(app, withOpenAI);
    console.log(
      `bundle (${app === 'generated' ? 'generated signature + parseArtifact' : 'string signature + loadArtifact'}, minified, browser, ${withOpenAI ? 'with' : 'without'} openai): one file ${kB(sizes.single)} (${kB(sizes.singleWithoutAjv)} with @dspy-ts/core/ajv external); split: start-up ${kB(sizes.startup)}, total ${kB(sizes.total)} (largest lazy chunks: ${sizes.lazy.map(([f, n]) => `${f} ${kB(n)}`).join(', ')})`,
    );
  }
}
const withPhoto = await artifactText();
const textDemos = withoutMedia(withPhoto);
// In a browser when one is installed: on Node the web entry also loads its node:http transport.
const where = CHROMIUM ? 'chromium' : 'node';
for (const [label, entry, artifact, fromDist] of [
  ['text demos, from the sources', 'scripts/bench/footprint/app-text.ts', textDemos, false],
  ['text demos, from the built dist', 'scripts/bench/footprint/app-text.ts', textDemos, true],
  [
    "the runtime tests' app, a demo with an image (loadArtifactMedia), from the sources",
    'test/runtimes/app/main.ts',
    withPhoto,
    false,
  ],
] as const) {
  const run = await loadedToPredict(entry, artifact, fromDist, where);
  console.log(
    `loaded to run one prediction in ${where === 'chromium' ? 'headless Chromium' : 'Node (no Chromium installed)'} (generated signature + parseArtifact, ${label}, code-split, minified, browser): ${kB(run.loaded - run.openai)} without openai (${kB(run.loaded)} with its ${kB(run.openai)}; ${kB(run.shipped)} shipped); chunks: ${run.chunks.map(([f, n]) => `${f} ${kB(n)}`).join(', ')}`,
  );
}
console.log(`core-only install (npm, node_modules): ${(install / 1e6).toFixed(1)} MB`);
