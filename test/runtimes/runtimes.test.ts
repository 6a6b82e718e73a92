// The runtime matrix: the same small app (a generated-signature Predict and a frozen artifact
// loaded from its text, answering over an OpenAI-protocol server on 127.0.0.1), bundled by
// esbuild for each runtime with that runtime's export conditions, runs and prints its typed
// prediction on Node, Bun, Deno, workerd and headless Chromium. Each runtime is its own test, so
// a failure names it.
import { execFileSync, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../e2e/helpers.js';
import {
  type AppBundle,
  bundleApp,
  coreEntry,
  devBinary,
  EXPECTED,
  nodeBuiltinImports,
  ROOT,
  type Runtime,
  runDeployingSnippet,
  splitApp,
  startServer,
  which,
} from './harness.js';

type Server = Awaited<ReturnType<typeof startServer>>;
let server: Server;
/** The app bundled for each runtime: `main.ts` for Node, Bun and Deno, `worker.ts` for workerd and the browser. */
const bundles = {} as Record<Runtime, AppBundle>;

beforeAll(async () => {
  server = await startServer();
  const entries: Record<Runtime, 'main.ts' | 'worker.ts'> = {
    node: 'main.ts',
    bun: 'main.ts',
    deno: 'main.ts',
    workerd: 'worker.ts',
    browser: 'worker.ts',
  };
  await Promise.all(
    (Object.keys(entries) as Runtime[]).map(async (runtime) => {
      bundles[runtime] = await bundleApp(entries[runtime], server.url, runtime);
    }),
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** Runs `command` on the app's bundle and checks it printed the typed prediction. */
async function expectPrediction(runtime: string, command: string, args: readonly string[]): Promise<void> {
  const done = await run(command, args, { cwd: dirname(args.at(-1) ?? '.'), timeoutMs: 60_000 });
  const why = `${runtime} (${command} ${args.join(' ')}) exited ${done.code}:\n${done.stderr.slice(-2000)}`;
  expect(done.stdout.trim(), why).toBe(EXPECTED);
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

describe('runtime matrix', () => {
  it('the web bundles of the run-time path import no Node built-in', () => {
    for (const runtime of ['workerd', 'browser'] as const) {
      expect(nodeBuiltinImports(bundles[runtime].metafile), runtime).toEqual([]);
    }
  });

  it("each runtime's bundler resolves @dspy-ts/core through its export condition", () => {
    const server = ['packages/core/src/index.ts', 'packages/core/src/node.ts'];
    const web = ['packages/core/src/index.ts'];
    expect(coreEntry(bundles.node.metafile), 'node').toEqual(server);
    expect(coreEntry(bundles.bun.metafile), 'bun').toEqual(server);
    expect(coreEntry(bundles.deno.metafile), 'deno').toEqual(server);
    expect(coreEntry(bundles.workerd.metafile), 'workerd').toEqual(web);
    expect(coreEntry(bundles.browser.metafile), 'browser').toEqual(web);
  });

  it('the web bundles run without ajv: it is left out of them (every schema the app validates is precompiled)', () => {
    for (const runtime of ['workerd', 'browser'] as const) {
      const ajv = Object.keys(bundles[runtime].metafile.inputs).filter((f) =>
        /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?ajv\/dist\/(core|compile)/.test(f),
      );
      expect(ajv, runtime).toEqual([]);
      expect(bundles[runtime].code, runtime).toContain('@dspy-ts/core/ajv');
    }
  });

  it('a code-split web bundle loads ajv only on demand: the generated module precompiled what the app validates', async () => {
    const split = await splitApp('worker.ts', 'browser');
    // ajv itself; its run-time helpers (`ajv/dist/runtime/*`, a few lines each) are what precompiled validators call.
    const isAjv = (f: string) =>
      /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?ajv\//.test(f) && !/ajv\/dist\/runtime\//.test(f);
    expect(split.initialInputs.filter(isAjv)).toEqual([]);
    expect(split.lazyInputs.some(isAjv)).toBe(true);
    // The precompiled validators are in the start-up chunks, with the artifact's schema.
    expect(split.initialInputs).toContain('test/runtimes/app/dspy.generated.ts');
    expect(split.initialInputs).toContain('packages/core/src/artifact/artifact-schema.generated.ts');
  });

  it('a code-split web bundle starts with at most 150 kB of JavaScript (minified; openai is a lazy chunk)', async () => {
    const split = await splitApp('worker.ts', 'browser');
    // The footprint benchmark measures what a page loads to predict; this keeps its start-up
    // from growing back unnoticed. A module that must stay out of it: make it load on first use.
    expect(split.initialBytes).toBeLessThanOrEqual(150_000);
    expect(
      split.initialInputs.filter((f) => /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?openai\//.test(f)),
    ).toEqual([]);
  });

  it('a code-split web bundle loads the media code of artifacts, the save path, file reading and the media factories only when used', async () => {
    const split = await splitApp('worker.ts', 'browser');
    const lazy = [
      ...['media-values.ts', 'media-files.ts', 'save.ts', 'read-file.ts'].map(
        (f) => `packages/core/src/artifact/${f}`,
      ),
      ...['make.ts', 'detect.ts'].map((f) => `packages/core/src/media/${f}`),
    ];
    for (const file of lazy) {
      expect(split.initialInputs, file).not.toContain(file);
      expect(split.lazyInputs, file).toContain(file);
    }
  });

  it('Node 20 runs the bundled app', async () => {
    await expectPrediction('Node', process.execPath, [bundles.node.file]);
  });

  it('Bun runs the bundled app', async () => {
    await expectPrediction('Bun (npm package "bun")', devBinary('bun'), [bundles.bun.file]);
  });

  it('Deno runs the bundled app with network and env permissions only', async () => {
    await expectPrediction('Deno (npm package "deno")', devBinary('deno'), [
      'run',
      '--allow-net=127.0.0.1',
      '--allow-env',
      bundles.deno.file,
    ]);
  });

  it('workerd runs the bundled app as a module worker (nodejs_compat, no code generation)', async () => {
    const port = await freePort();
    const config = join(dirname(bundles.workerd.file), 'config.capnp');
    await writeFile(config, workerdConfig(port));
    const child = execFileAsync(devBinary('workerd'), ['serve', config]);
    try {
      const text = await fetchWhenUp(`http://127.0.0.1:${port}/`, child);
      expect(text, `workerd (npm package "workerd") answered:\n${text}\n${child.stderr()}`).toBe(EXPECTED);
    } finally {
      child.kill();
    }
  });

  it('headless Chromium runs the bundled app in a page', async () => {
    const chromium = ensureChromium();
    const { chromium: driver } = await import('playwright-core');
    const browser = await driver.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      // The page is served from the test server's own origin (no CORS), the app as a module script.
      const origin = new URL(server.url).origin;
      await page.route(`${origin}/app/**`, (route) => {
        const isScript = route.request().url().endsWith('.mjs');
        return route.fulfill({
          contentType: isScript ? 'text/javascript' : 'text/html',
          body: isScript
            ? bundles.browser.code
            : '<!doctype html><script type="module" src="/app/worker.mjs"></script>',
        });
      });
      await page.goto(`${origin}/app/index.html`);
      await page.waitForFunction(
        () => typeof (globalThis as { predictOnce?: unknown }).predictOnce === 'function',
      );
      const text = await page.evaluate(() =>
        (globalThis as unknown as { predictOnce: () => Promise<string> }).predictOnce(),
      );
      expect(text, `Chromium page errors: ${errors.join('\n')}`).toBe(EXPECTED);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** workerd's configuration: the app as a module worker on `port`, allowed to reach 127.0.0.1. */
function workerdConfig(port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .app),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const app :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  globalOutbound = "loopback",
);
`;
}

interface Background {
  exited(): number | null | undefined;
  stderr(): string;
  kill(): void;
}

/** Starts `command` in the background, keeping its stderr. */
function execFileAsync(command: string, args: readonly string[]): Background {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let code: number | null | undefined;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('exit', (c: number | null) => {
    code = c;
  });
  return { exited: () => code, stderr: () => stderr, kill: () => child.kill('SIGKILL') };
}

/** The body of `url` once the server behind it answers (workerd takes a moment to listen). */
async function fetchWhenUp(url: string, child: Background): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exited() !== undefined)
      throw new Error(`workerd exited (${child.exited()}):\n${child.stderr()}`);
    try {
      return await (await fetch(url)).text();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`workerd did not listen on ${url}:\n${child.stderr()}`);
}

/**
 * Debian's Chromium: found on PATH, else installed with apt-get (as root). Fails loudly, naming
 * the runtime and what to install, when neither works.
 */
function ensureChromium(): string {
  const found = which('chromium');
  if (found) return found;
  try {
    execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'pipe', timeout: 600_000 });
  } catch (err) {
    throw new Error(
      `Chromium runtime test: chromium is not installed and "apt-get install -y chromium" failed (${String(err).slice(0, 500)}). Install Debian's chromium package (as root) and run the tests again.`,
    );
  }
  const installed = which('chromium');
  if (!installed) throw new Error('Chromium runtime test: apt-get installed chromium but it is not on PATH.');
  return installed;
}

describe('docs/deploying.md', () => {
  it('its loadSchemaCompiler snippet runs on the web entry, in a fresh process', async () => {
    const done = await runDeployingSnippet('await loadSchemaCompiler()');
    expect(done, 'a ts block calling loadSchemaCompiler').toBeDefined();
    expect(done?.code, done?.stderr).toBe(0);
  }, 60_000);

  it('shows the code of the app the matrix runs, as it is', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(join(ROOT, 'docs/deploying.md'), 'utf8');
    for (const file of ['app.ts', 'main.ts', 'worker.ts']) {
      const text = await readFile(join(ROOT, 'test/runtimes/app', file), 'utf8');
      const code = text.replace(/^(\/\/.*\n)+/, '').trim();
      expect(doc, `docs/deploying.md should show test/runtimes/app/${file}`).toContain(code);
    }
  });
});
