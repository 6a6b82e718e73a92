import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Finished, ROOT, run } from './helpers.js';
import { PUBLISHED, type Published, packWorkspace, tarballFiles, tarballManifest } from './pack-workspace.js';

// Packs the published packages from a clean copy of the workspace, installs the tarballs with
// npm into a project outside the workspace, and goes through what the README tells a newcomer to
// do: build, compile, eval, inspect, run (the installed `dspy-ts` bin, the offline LM), a
// type-check with the recommended tsconfig, and an app bundled with esbuild.

let dir = '';
let project = '';
let tarballs: Record<Published, string>;

/** The project's tsconfig, as the README recommends it (no @types/node, library checks on). */
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2022', 'DOM'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: false,
    types: [],
    noEmit: true,
  },
  include: ['src'],
};

/** The program a newcomer writes: the triage fixture's signature and module. */
const TRIAGE = join(ROOT, 'test', 'e2e', 'fixtures', 'triage-app', 'src', 'triage.ts');

/** The production app: the generated module, the program, the artifact, its own model. */
const APP = `import './dspy.generated.js';
import type { LanguageModel } from '@dspy-ts/core';
import { Triage } from './triage.js';

const answer = '[[ ## label ## ]]\\ncard_arrival\\n\\n[[ ## completed ## ]]';
const lm: LanguageModel = {
  model: 'in-process',
  async call() {
    const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    return { text: answer, choices: [answer], usage, model: 'in-process', finishReason: 'stop', cacheHit: false };
  },
};

const triage = await Triage.load('out/triage.json');
triage.setLM(lm);
const prediction = await triage.forward({ text: 'my new card still has not arrived' });
console.log(JSON.stringify({ label: prediction.label, demos: triage.classify.demos.length }));
`;

/**
 * The same app for the web: the artifact comes as text (a bundler's define here; a fetch or an
 * import in a real page), and nothing reads files.
 */
const WEB_APP = `import './dspy.generated.js';
import { type LanguageModel, parseArtifact } from '@dspy-ts/core';
import { Triage } from './triage.js';

declare const ARTIFACT_TEXT: string;
const answer = '[[ ## label ## ]]\\ncard_arrival\\n\\n[[ ## completed ## ]]';
const lm: LanguageModel = {
  model: 'in-process',
  async call() {
    const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    return { text: answer, choices: [answer], usage, model: 'in-process', finishReason: 'stop', cacheHit: false };
  },
};

const triage = await new Triage().load(parseArtifact(ARTIFACT_TEXT, 'triage.json'));
triage.setLM(lm);
const prediction = await triage.forward({ text: 'my new card still has not arrived' });
console.log(JSON.stringify({ label: prediction.label, demos: triage.classify.demos.length }));
`;

/** Runs a bundled app with Node (no environment but PATH) and checks the prediction it prints. */
function expectPrediction(file: string): void {
  const r = spawnSync(process.execPath, [file], {
    cwd: project,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { label: string; demos: number };
  expect(out.label).toBe('card_arrival');
  expect(out.demos).toBeGreaterThan(0);
}

/** Runs the installed `dspy-ts` bin in the project, with the offline LM. */
function dspyTs(args: readonly string[]): Promise<Finished> {
  return run(join(project, 'node_modules', '.bin', 'dspy-ts'), args, {
    cwd: project,
    env: { DSPY_TS_CACHE_DIR: '', DSPY_TS_LM: '', OPENAI_API_KEY: '' },
    timeoutMs: 180_000,
  });
}

/** Writes the newcomer's project: package.json with the tarballs, tsconfig, program, data. */
async function writeProject(): Promise<void> {
  const file = (name: Published) => `file:${tarballs[name]}`;
  await mkdir(join(project, 'src'), { recursive: true });
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'newcomer-app',
        private: true,
        type: 'module',
        dependencies: { '@dspy-ts/core': file('core') },
        devDependencies: {
          '@dspy-ts/cli': file('cli'),
          '@dspy-ts/codegen': file('codegen'),
          '@dspy-ts/optimize': file('optimize'),
          '@dspy-ts/testing': file('testing'),
          esbuild: '^0.28.2',
        },
      },
      null,
      2,
    ),
  );
  await writeFile(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await copyFile(TRIAGE, join(project, 'src', 'triage.ts'));
  await writeFile(join(project, 'src', 'app.ts'), APP);
  await writeFile(join(project, 'src', 'web-app.ts'), WEB_APP);
  // A small Banking77 split, with its attribution.
  const data = join(ROOT, 'examples', 'quickstart', 'data');
  const lines = (await readFile(join(data, 'train.jsonl'), 'utf8')).split('\n').filter(Boolean);
  await mkdir(join(project, 'data'));
  await writeFile(join(project, 'data', 'train.jsonl'), `${lines.slice(0, 30).join('\n')}\n`);
  await writeFile(join(project, 'data', 'dev.jsonl'), `${lines.slice(30, 48).join('\n')}\n`);
  await cp(join(data, 'SOURCES.md'), join(project, 'data', 'SOURCES.md'));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dspy-newcomer-'));
  project = join(dir, 'project');
  tarballs = await packWorkspace(dir);
  await writeProject();
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: project,
    timeoutMs: 300_000,
  });
  if (install.code !== 0) throw new Error(`npm install failed (${install.code}):\n${install.stderr}`);
}, 600_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the published tarballs', () => {
  it.each(PUBLISHED)('@dspy-ts/%s ships its README and built dist, no build state', async (name) => {
    const files = await tarballFiles(tarballs[name]);
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    expect(files.filter((f) => f.includes('tsbuildinfo'))).toEqual([]);
  });

  it.each(PUBLISHED)('@dspy-ts/%s declares its licence, repository and Node engine', async (name) => {
    const manifest = await tarballManifest(tarballs[name]);
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${name}` });
    const deps = JSON.stringify(manifest.dependencies ?? {});
    expect(deps).not.toContain('workspace:');
  });

  it('@dspy-ts/core lists no dependency its dist bundles in, and ships their licences', async () => {
    const manifest = await tarballManifest(tarballs.core);
    const deps = Object.keys((manifest.dependencies ?? {}) as Record<string, string>);
    for (const bundled of ['reflect-metadata', 'p-limit', 'lru-cache', 'ajv', 'ajv-formats', 'jsonrepair'])
      expect(deps).not.toContain(bundled);
    const files = await tarballFiles(tarballs.core);
    expect(files).toContain('dist/THIRD-PARTY-LICENSES.txt');
    // The web build: one module per source module, the bundled packages in its vendor folder.
    expect(files).toContain('dist/web/index.js');
    expect(files).toContain('dist/web/vendor/jsonrepair.js');
    expect(files).toContain('dist/web/THIRD-PARTY-LICENSES.txt');
  });
});

describe("a newcomer's project, installed from the tarballs with npm", () => {
  it('builds, compiles, inspects, runs and evaluates through the installed dspy-ts', async () => {
    const built = await dspyTs(['build', '--json']);
    expect(built.code, built.stderr).toBe(0);
    const found = JSON.parse(built.stdout) as { signatures: { name: string }[] };
    expect(found.signatures.map((s) => s.name)).toEqual(['ClassifyIntent']);
    expect(existsSync(join(project, 'src', 'dspy.generated.ts'))).toBe(true);

    const compiled = await dspyTs([
      'compile',
      'src/triage.ts#Triage',
      '--optimizer',
      'BootstrapRS',
      '--trainset',
      'data/train.jsonl',
      '--valset',
      'data/dev.jsonl',
      '--metric',
      'exactMatch:label',
      '--options',
      '{"numCandidatePrograms": 2}',
      '--out',
      'out/triage.json',
      '--lm',
      'offline',
      '--json',
    ]);
    expect(compiled.code, compiled.stderr).toBe(0);
    const summary = JSON.parse(compiled.stdout) as { bestScore: number; baselineScore: number };
    expect(summary.bestScore).toBeGreaterThan(summary.baselineScore);

    const program = ['--program', 'src/triage.ts#Triage'];
    const [inspected, ran, evaluated] = await Promise.all([
      dspyTs(['inspect', 'out/triage.json']),
      dspyTs([
        'run',
        'out/triage.json',
        ...program,
        '--input',
        '{"text": "my new card still has not arrived"}',
        '--lm',
        'offline',
        '--json',
      ]),
      dspyTs([
        'eval',
        'out/triage.json',
        ...program,
        '--devset',
        'data/dev.jsonl',
        '--metric',
        'exactMatch:label',
        '--lm',
        'offline',
        '--json',
      ]),
    ]);
    expect(inspected.code, inspected.stderr).toBe(0);
    expect(inspected.stdout).toMatch(/^classify {2}signature ClassifyIntent #[0-9a-f]+$/m);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(ran.stdout))).toContain('"label":"card_arrival"');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const scored = JSON.parse(evaluated.stdout) as { score: number };
    expect(scored.score).toBeGreaterThanOrEqual(summary.baselineScore);
  }, 600_000);

  it('type-checks with the recommended tsconfig: library checks on, no @types/node', () => {
    expect(existsSync(join(project, 'node_modules', '@types', 'node'))).toBe(false);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 180_000);

  it('bundles an app with esbuild that loads the artifact and predicts', async () => {
    const outfile = join(project, 'bundle', 'app.mjs');
    // esbuild's defaults for a Node app, nothing marked external; the target lowers the
    // decorators, which Node 20 does not run.
    const bundled = await run(
      join(project, 'node_modules', '.bin', 'esbuild'),
      [
        'src/app.ts',
        '--bundle',
        '--platform=node',
        '--target=node20',
        '--format=esm',
        `--outfile=${outfile}`,
        '--log-level=error',
      ],
      { cwd: project },
    );
    expect(bundled.code, bundled.stderr).toBe(0);
    expectPrediction(outfile);
  }, 120_000);

  it('bundles the app for the browser, code-split, from the web build of the installed core', async () => {
    const outdir = join(project, 'bundle-web');
    const artifact = await readFile(join(project, 'out', 'triage.json'), 'utf8');
    const bundled = await run(
      join(project, 'node_modules', '.bin', 'esbuild'),
      [
        'src/web-app.ts',
        '--bundle',
        '--platform=browser',
        '--splitting',
        '--format=esm',
        '--target=es2022',
        '--minify',
        `--outdir=${outdir}`,
        `--metafile=${join(outdir, 'meta.json')}`,
        `--define:ARTIFACT_TEXT=${JSON.stringify(artifact)}`,
        '--log-level=error',
      ],
      { cwd: project },
    );
    expect(bundled.code, bundled.stderr).toBe(0);
    const meta = JSON.parse(await readFile(join(outdir, 'meta.json'), 'utf8')) as {
      inputs: Record<string, { imports: { path: string }[] }>;
    };
    const core = Object.keys(meta.inputs).filter((f) => f.includes('@dspy-ts/core/'));
    // One module per source module: the bundler reached core's web build, and nothing of the server's.
    expect(core.length).toBeGreaterThan(20);
    expect(core.filter((f) => !f.includes('@dspy-ts/core/dist/web/'))).toEqual([]);
    const builtins = Object.values(meta.inputs).flatMap((i) =>
      i.imports.filter((m) => m.path.startsWith('node:')),
    );
    expect(builtins).toEqual([]);
    // Node's fetch, Web Crypto and TextEncoder are the web's: the browser bundle runs here.
    expectPrediction(join(outdir, 'web-app.js'));
  }, 120_000);
});
