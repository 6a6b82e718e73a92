/**
 * Build-step benchmark (run with `npx tsx scripts/bench/codegen/run.ts [files]`): generates a
 * project of signature files in a temp dir and measures, in one run, a cold build against
 * `tsc --noEmit`, a no-change rebuild, one-file changes in watch mode, and importing
 * `@dspy-ts/core` in a fresh process (and which heavy packages that import loaded).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildCore } from './build-core.js';
import { generateProject, REPO } from './generate.js';

const COUNT = Number(process.argv[2] ?? 300);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const NODE = [process.execPath, '--conditions=@dspy-ts/source', '--import', 'tsx'];

function run(args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync(args[0] ?? process.execPath, args.slice(1), { cwd: REPO, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

const dir = await mkdtemp(join(tmpdir(), 'dspy-codegen-bench-'));
try {
  const tsconfig = await generateProject(dir, COUNT);
  const tscArgs = [
    process.execPath,
    join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
    '-p',
    tsconfig,
    '--noEmit',
  ];
  const buildArgs = [
    ...NODE,
    join(REPO, 'scripts', 'bench', 'codegen', 'child-build.ts'),
    dir,
    String(COUNT),
    '3',
  ];
  const importArgs = [
    ...NODE,
    join(REPO, 'scripts', 'bench', 'codegen', 'child-import.mjs'),
    join(REPO, 'packages', 'core', 'src', 'index.ts'),
  ];

  if (process.env.BENCH_WARMUP !== '0') run(tscArgs); // warm the file-system cache
  const tsc: number[] = [];
  const builds: { coldMs: number; noChangeMs: number; watchWall: number[]; watchInternal: number[] }[] = [];
  for (let i = 0; i < REPEAT; i++) {
    tsc.push(run(tscArgs).ms);
    builds.push(JSON.parse(run(buildArgs).stdout.trim().split('\n').pop() ?? '{}'));
  }
  const coreEntry = await buildCore(join(dir, 'core-dist'), 'index');
  const importJsArgs = [
    process.execPath,
    join(REPO, 'scripts', 'bench', 'codegen', 'child-import.mjs'),
    coreEntry,
  ];
  const imports = Array.from({ length: 5 }, () => JSON.parse(run(importJsArgs).stdout.trim()));
  const importsTsx = Array.from({ length: 3 }, () => JSON.parse(run(importArgs).stdout.trim()));
  // One more of each with the resolve hook, to see the ESM packages loaded too.
  const listed = [importJsArgs, importArgs].map((args) =>
    JSON.parse(run([...args, '--packages']).stdout.trim()),
  );

  const tscMs = median(tsc);
  const coldMs = median(builds.map((b) => b.coldMs));
  const noChangeMs = median(builds.map((b) => b.noChangeMs));
  const watchWallMs = median(builds.flatMap((b) => b.watchWall));
  const watchInternalMs = median(builds.flatMap((b) => b.watchInternal));
  const importMs = median(imports.map((x) => x.importMs));
  const importCpuMs = median(imports.map((x) => x.cpuMs));
  const rssMb = median(imports.map((x) => x.rssMb));
  const importTsxMs = median(importsTsx.map((x) => x.importMs));
  const heavy = [...new Set([...imports, ...importsTsx, ...listed].flatMap((x) => x.heavy as string[]))];
  const loadedPackages = (listed[0]?.packages ?? []) as string[];

  const rows: [string, string, string, string][] = [
    ['tsc --noEmit (process wall)', `${tscMs.toFixed(0)} ms`, '', ''],
    ['cold build (in a fresh process, incl. loading ts-morph)', `${coldMs.toFixed(0)} ms`, '', ''],
    [
      'cold build ÷ tsc --noEmit',
      (coldMs / tscMs).toFixed(3),
      '≤ 1.3',
      coldMs / tscMs <= 1.3 ? 'ok' : 'MISSED',
    ],
    ['no-change rebuild', `${noChangeMs.toFixed(1)} ms`, '', ''],
    [
      'no-change rebuild ÷ cold build',
      (noChangeMs / coldMs).toFixed(4),
      '≤ 0.05',
      noChangeMs / coldMs <= 0.05 ? 'ok' : 'MISSED',
    ],
    [
      'watch: one-file change, write → onBuild (incl. 10 ms debounce)',
      `${watchWallMs.toFixed(1)} ms`,
      '',
      '',
    ],
    [
      'watch: one-file change ÷ cold build',
      (watchWallMs / coldMs).toFixed(4),
      '≤ 0.03',
      watchWallMs / coldMs <= 0.03 ? 'ok' : 'MISSED',
    ],
    ['watch: rebuild work only (BuildResult.durationMs)', `${watchInternalMs.toFixed(1)} ms`, '', ''],
    [
      'import @dspy-ts/core, built dist (fresh process)',
      `${importMs.toFixed(1)} ms`,
      '≤ 50 ms',
      importMs <= 50 ? 'ok' : 'MISSED',
    ],
    ['  CPU time of that import (user + system)', `${importCpuMs.toFixed(1)} ms`, '', ''],
    ['  memory (RSS growth)', `${rssMb.toFixed(1)} MB`, '', ''],
    ['  packages it loads', loadedPackages.join(' '), '', ''],
    ['import @dspy-ts/core from source through tsx', `${importTsxMs.toFixed(1)} ms`, '', ''],

    [
      '  ts-morph / typescript / quickjs-emscripten / ajv loaded',
      heavy.length ? heavy.join(', ') : 'no',
      'no',
      heavy.length ? 'MISSED' : 'ok',
    ],
  ];
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(
    `Build step, ${COUNT} files, median of ${REPEAT} runs (watch: ${builds.flatMap((b) => b.watchWall).length} changes)\n`,
  );
  for (const [name, value, target, verdict] of rows) {
    process.stdout.write(`${name.padEnd(width)}  ${value.padStart(12)}  ${target.padEnd(8)}  ${verdict}\n`);
  }
  if (heavy.length > 0) process.exitCode = 1;
} finally {
  await rm(dir, { recursive: true, force: true });
}
