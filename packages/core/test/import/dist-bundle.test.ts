import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORE = resolve(HERE, '..', '..');
const REPO = resolve(CORE, '..', '..');

/** Runs `node <args>` to its end and returns its last stdout line parsed as JSON. */
function nodeJson<T>(args: string[]): T {
  const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0)
    throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T;
}

// The package's real build script (`scripts/bundle.mjs`), written into a temporary copy of the
// package's layout (package.json, node_modules, dist) so that the checkout's dist is untouched.
/** The package of a bare import specifier (`@scope/name/sub` → `@scope/name`, `name/sub` → `name`). */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]) ?? specifier;
}

describe('the bundled dist of @dspy-ts/core', () => {
  let dir = '';
  let entry = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dspy-core-dist-'));
    await copyFile(join(CORE, 'package.json'), join(dir, 'package.json'));
    await symlink(join(CORE, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const r = spawnSync(
      process.execPath,
      [join(CORE, 'scripts', 'bundle.mjs'), '--outdir', join(dir, 'dist')],
      { cwd: REPO, encoding: 'utf8', timeout: 60_000 },
    );
    if (r.status !== 0) throw new Error(`bundle.mjs failed (${r.status}):\n${r.stderr}`);
    entry = join(dir, 'dist', 'index.js');
  }, 90_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one module per entry plus the sandbox worker and shared chunks, with source maps into src', async () => {
    const files = (await readdir(join(dir, 'dist'))).sort();
    for (const name of ['index', 'internal', 'offline', 'sandbox-worker']) {
      expect(files).toContain(`${name}.js`);
      expect(files).toContain(`${name}.js.map`);
    }
    expect(files).toContain('THIRD-PARTY-LICENSES.txt');
    expect(files.filter((f) => !/\.js(\.map)?$/.test(f))).toEqual(['THIRD-PARTY-LICENSES.txt', 'web']);
    const sources: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.js.map'))) {
      const map = JSON.parse(await readFile(join(dir, 'dist', file), 'utf8')) as { sources: string[] };
      sources.push(...map.sources);
    }
    expect(sources.some((s) => s.endsWith('src/signature/spec.ts'))).toBe(true);
    expect(sources.some((s) => s.endsWith('src/offline/offline-lm.ts'))).toBe(true);
    const licences = await readFile(join(dir, 'dist', 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(licences).toContain('reflect-metadata@');
    expect(licences).toContain('ajv@');
    expect(licences).toContain('jsonrepair@');
  });

  it('imports only node built-ins and the dependencies and optional peers core lists (what it bundles, it does not list)', async () => {
    const manifest = JSON.parse(await readFile(join(CORE, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const imported = new Set<string>();
    for (const file of (await readdir(join(dir, 'dist'))).filter((f) => f.endsWith('.js'))) {
      const code = await readFile(join(dir, 'dist', file), 'utf8');
      // (ajv's code also holds `require("ajv/...")` in strings it generates for standalone code.)
      for (const m of code.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\b__require\s*\(\s*)["']([^"'./][^"']*)["']/g,
      ))
        if (m[1] && !m[1].startsWith('node:')) imported.add(packageName(m[1]));
    }
    const deps = Object.keys(manifest.dependencies);
    const peers = Object.keys(manifest.peerDependencies ?? {});
    // Every dependency is used, and nothing is imported that the manifest does not list (an
    // optional peer may be loaded through a specifier the bundle does not spell out). Core's own
    // name is a self-reference: `loadSchemaCompiler()` imports `@dspy-ts/core/ajv`.
    expect(deps.filter((d) => !imported.has(d))).toEqual([]);
    expect(imported.has(manifest.name)).toBe(true);
    expect(
      [...imported].filter((m) => m !== manifest.name && !deps.includes(m) && !peers.includes(m)),
    ).toEqual([]);
  });

  it("never loads the offline entry from the main entry (only through new LM('offline'))", async () => {
    const loaded = new Set<string>();
    const todo = ['index.js'];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (loaded.has(file)) continue;
      loaded.add(file);
      const text = await readFile(join(dir, 'dist', file), 'utf8');
      // Static imports only (`from"./x.js"`, `import"./x.js"`); `import("./x.js")` is lazy.
      for (const m of text.matchAll(/(?:from|import)\s*["']\.\/([^"']+)["']/g)) todo.push(m[1] ?? '');
    }
    expect(loaded.size).toBeGreaterThan(1);
    expect([...loaded]).not.toContain('offline.js');
    expect([...loaded]).not.toContain('internal.js');
  });

  it('loads no heavy dependency on import', () => {
    const { packages } = nodeJson<{ packages: string[] }>([
      join(REPO, 'scripts', 'bench', 'codegen', 'child-import.mjs'),
      entry,
      '--packages',
    ]);
    for (const heavy of ['ts-morph', 'typescript', 'quickjs-emscripten', 'ajv', 'ajv-formats', 'openai']) {
      expect(packages, `${heavy} was loaded by importing the bundle`).not.toContain(heavy);
    }
  }, 60_000);

  it('keeps its lines short: an uncaught DspyError prints its message, not a screen of code', () => {
    const r = spawnSync(process.execPath, [join(HERE, 'throw-dist.mjs'), entry], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("DspyError: signature('question: string =>'): missing '->'");
    expect(r.stderr.length).toBeLessThan(4096);
  }, 60_000);

  it("runs the sandbox worker, ProgramOfThought and new LM('offline'), reads its version through the internal entry, installs reflect-metadata", () => {
    const out = nodeJson<{
      reflect: boolean;
      version: string;
      oneCopy: boolean;
      offline: unknown;
      sandbox: { value: unknown; output: string };
      overrun: string;
      pot: { answer: unknown; codeOutput: string; calls: number };
    }>([join(HERE, 'check-dist.mjs'), entry]);
    expect(out.reflect).toBe(true);
    expect(out.oneCopy).toBe(true);
    expect(out.offline).toBe('Paris');
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out.version).not.toBe('unknown');
    expect(out.sandbox).toMatchObject({ value: 42, output: 'n is 21' });
    expect(out.overrun).toBe('SANDBOX_ERROR/timeout');
    expect(out.pot).toEqual(
      expect.objectContaining({ answer: 42, codeOutput: 'n = 21\nResult: 42', calls: 2 }),
    );
  }, 60_000);

  it('has a web build with one module per source module, importing its bundled packages from its vendor folder', async () => {
    const web = join(dir, 'dist', 'web');
    const src = join(CORE, 'src');
    const sources = (await readdir(src, { recursive: true }))
      .filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|test-d|d)\.ts$/.test(f) && f !== 'node.ts')
      .map((f) => f.replace(/\.ts$/, '.js'))
      .sort();
    const built = (await readdir(web, { recursive: true }))
      .filter((f) => f.endsWith('.js') && !f.startsWith('vendor'))
      .sort();
    expect(built).toEqual(sources);
    const manifest = JSON.parse(await readFile(join(CORE, 'package.json'), 'utf8')) as {
      name: string;
      dependencies: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const allowed = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ]);
    const strays: string[] = [];
    for (const file of built) {
      const code = await readFile(join(web, file), 'utf8');
      for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s*)["']([^"'.][^"']*)["']/gm)) {
        const spec = m[1] ?? '';
        // (Messages may quote a path in a template: `from '${folder}'`.)
        if (!spec.startsWith('node:') && !spec.includes('${') && !allowed.has(packageName(spec)))
          strays.push(`${file} -> ${spec}`);
      }
    }
    expect(strays).toEqual([]);
    const licences = await readFile(join(web, 'THIRD-PARTY-LICENSES.txt'), 'utf8');
    expect(licences).toContain('jsonrepair@');
  });

  it('its web entry imports no Node built-in statically, from any module it loads at start-up', async () => {
    const web = join(dir, 'dist', 'web');
    const seen = new Set<string>();
    const builtins: string[] = [];
    const todo = [join(web, 'index.js')];
    for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
      if (seen.has(file)) continue;
      seen.add(file);
      const code = await readFile(file, 'utf8');
      for (const m of code.matchAll(/^(?:import|export)\b[^'"]*?["']([^"']+)["'];?$/gm)) {
        const spec = m[1] ?? '';
        if (spec.startsWith('node:')) builtins.push(`${file.slice(web.length + 1)} -> ${spec}`);
        else if (spec.startsWith('.')) todo.push(resolve(dirname(file), spec));
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    expect(builtins).toEqual([]);
  });

  it('its web entry runs the same checks as the bundled one: sandbox worker, ProgramOfThought, offline LM, internal entry, reflect-metadata', () => {
    const out = nodeJson<{
      reflect: boolean;
      version: string;
      oneCopy: boolean;
      offline: unknown;
      pot: { answer: unknown };
    }>([join(HERE, 'check-dist.mjs'), join(dir, 'dist', 'web', 'index.js')]);
    expect(out.reflect).toBe(true);
    expect(out.oneCopy).toBe(true);
    expect(out.offline).toBe('Paris');
    expect(out.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(out.version).not.toBe('unknown');
    expect(out.pot.answer).toBe(42);
  }, 60_000);
});
