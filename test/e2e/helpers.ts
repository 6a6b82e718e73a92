import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The `dspy-ts` executable (runs the TypeScript sources when there is no build). */
export const BIN = join(ROOT, 'packages/cli/bin/dspy-ts.js');

/** What a finished subprocess left behind. */
export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (killed after `timeoutMs`), with `stdin` piped in, and collects its output. */
export function run(
  command: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; stdin?: string },
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  });
}

/** Runs `dspy-ts <args>` in `cwd`. */
export function dspyTs(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return run(process.execPath, [BIN, ...args], { cwd, env });
}

/**
 * Copies the triage fixture project to a fresh temporary directory, links the workspace
 * packages into its `node_modules`, and writes a small Banking77 train/dev split beside it.
 */
export async function makeProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-e2e-'));
  await cp(join(ROOT, 'test/e2e/fixtures/triage-app'), dir, { recursive: true });
  const tsconfig = JSON.parse(await readFile(join(dir, 'tsconfig.json'), 'utf8')) as Record<string, unknown>;
  tsconfig.extends = join(ROOT, 'tsconfig.base.json');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await mkdir(join(dir, 'node_modules/@dspy-ts'), { recursive: true });
  await symlink(join(ROOT, 'packages/core'), join(dir, 'node_modules/@dspy-ts/core'), 'dir');
  const lines = (await readFile(join(ROOT, 'examples/quickstart/data/train.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean);
  await mkdir(join(dir, 'data'));
  await writeFile(join(dir, 'data/train.jsonl'), `${lines.slice(0, 30).join('\n')}\n`);
  await writeFile(join(dir, 'data/dev.jsonl'), `${lines.slice(30).join('\n')}\n`);
  return dir;
}
