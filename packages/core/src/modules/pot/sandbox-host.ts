import type { Worker } from 'node:worker_threads';
import { DspyError } from '../../errors.js';
import { nodeBuiltin } from '../../runtime/node-builtins.js';
import type { SandboxOptions, SandboxResult } from './sandbox.js';
import { sandboxError } from './sandbox-errors.js';
import type { SandboxJob, SandboxReply } from './sandbox-worker.js';

/** How long past `timeoutMs` the interrupt check gets before the thread is terminated. */
const GRACE_MS = 100;
/** Most sandbox threads at once (runs are CPU-bound; more runs wait for a free thread). */
function maxWorkers(): number {
  return Math.max(2, node('node:os').availableParallelism());
}

const NO_THREADS_FIX =
  'Pass { worker: false } to ProgramOfThought or runSandboxed where there are no worker threads.';

/** A Node built-in of the worker sandbox (looked up on first use; core imports none). */
function node<
  K extends 'node:fs' | 'node:module' | 'node:os' | 'node:path' | 'node:url' | 'node:worker_threads',
>(id: K) {
  return nodeBuiltin(id, 'runSandboxed (worker)', 'SANDBOX_ERROR', NO_THREADS_FIX);
}

/** Started threads waiting for a job (unref'd: they do not keep the process alive). */
const idle: Worker[] = [];
/** Runs waiting for a free thread. */
const waiting: (() => void)[] = [];
let live = 0;

/**
 * Started in the worker: registers the TypeScript loader when the sources are `.ts` (tests and
 * `tsx` runs), imports the worker module and serves jobs.
 */
const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  const m = await import(workerData.entry);
  await m.serveSandbox(parentPort);
})().catch((e) => parentPort.postMessage({ type: 'fatal', message: String((e && e.stack) || e) }));
`;

function bootData(): { entry: string; loader: string | undefined } {
  const here = import.meta.url;
  const entry = new URL('./sandbox-worker.js', here).href;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { entry, loader: undefined };
  try {
    return { entry, loader: tsxLoader(here) };
  } catch (err) {
    throw new DspyError('SANDBOX_ERROR', 'runSandboxed: the worker cannot load the TypeScript sources.', {
      cause: err,
      details: {
        where: 'runSandboxed',
        fix: 'Install tsx next to the sources, use the built package, or pass { worker: false }.',
        kind: 'worker',
      },
    });
  }
}

/** The ES module entry of tsx's loader API, found from `here`. */
function tsxLoader(here: string): string {
  const require = node('node:module').createRequire(here);
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(node('node:fs').readFileSync(manifest, 'utf8')) as {
    exports?: Record<string, { import?: { default?: string } }>;
  };
  const rel = pkg.exports?.['./esm/api']?.import?.default;
  if (!rel) throw new Error('tsx has no ./esm/api export');
  const { dirname, join } = node('node:path');
  return node('node:url').pathToFileURL(join(dirname(manifest), rel)).href;
}

/** One message from `worker`, or its failure to start. */
function nextReply(worker: Worker): Promise<SandboxReply> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (m: SandboxReply) => {
      cleanup();
      resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`the sandbox worker exited with code ${code}`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

function workerFailure(message: string, cause?: unknown): DspyError {
  return new DspyError('SANDBOX_ERROR', `runSandboxed: the sandbox worker failed: ${message}`, {
    cause,
    details: {
      where: 'runSandboxed',
      fix: 'Check that quickjs-emscripten is installed; pass { worker: false } to run without a thread.',
      kind: 'worker',
    },
  });
}

async function startWorker(): Promise<Worker> {
  const { Worker } = node('node:worker_threads');
  const worker = new Worker(BOOT, { eval: true, workerData: bootData(), execArgv: [] });
  let first: SandboxReply;
  try {
    first = await nextReply(worker);
  } catch (err) {
    await worker.terminate();
    throw workerFailure(err instanceof Error ? err.message : String(err), err);
  }
  if (first.type !== 'ready') {
    await worker.terminate();
    throw workerFailure(first.type === 'fatal' ? (first.message.split('\n')[0] ?? '') : 'no ready message');
  }
  return worker;
}

/** An idle thread, a new one when fewer than `maxWorkers()` live, else the next one freed. */
async function acquire(): Promise<Worker> {
  for (;;) {
    const ready = idle.pop();
    if (ready) return ready;
    if (live < maxWorkers()) {
      live += 1;
      try {
        return await startWorker();
      } catch (err) {
        discard(undefined);
        throw err;
      }
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

/** Gives a healthy thread back for the next run. */
function release(worker: Worker): void {
  worker.unref();
  idle.push(worker);
  waiting.shift()?.();
}

/** Ends a thread (overrun or broken) and lets a waiting run start a new one. */
function discard(worker: Worker | undefined): Promise<unknown> {
  live -= 1;
  waiting.shift()?.();
  return worker ? worker.terminate() : Promise.resolve();
}

/**
 * Runs a sandbox job in a worker thread and terminates the thread when it overruns
 * `timeoutMs` by more than a short grace period: a hard CPU-time limit. @internal
 */
export async function runInWorker(
  code: string,
  opts: Omit<SandboxOptions, 'worker'>,
  limits: { timeoutMs: number; memoryLimitBytes: number; maxStackBytes: number },
): Promise<SandboxResult> {
  const worker = await acquire();
  worker.ref();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'overrun'>((resolve) => {
    timer = setTimeout(() => resolve('overrun'), limits.timeoutMs + GRACE_MS);
  });
  const job: SandboxJob = { code, opts };
  const reply = nextReply(worker);
  worker.postMessage(job);
  let outcome: SandboxReply | 'overrun';
  try {
    outcome = await Promise.race([reply, deadline]);
  } catch (err) {
    clearTimeout(timer);
    await discard(worker);
    throw workerFailure(err instanceof Error ? err.message : String(err), err);
  }
  clearTimeout(timer);
  if (outcome === 'overrun') {
    reply.catch(() => undefined);
    await discard(worker);
    throw sandboxError(
      { kind: 'timeout', message: `terminated after ${limits.timeoutMs + GRACE_MS} ms` },
      limits,
    );
  }
  if (outcome.type !== 'done') {
    await discard(worker);
    throw workerFailure(outcome.type === 'fatal' ? outcome.message : `unexpected ${outcome.type} message`);
  }
  release(worker);
  if (outcome.ok) return outcome.result;
  throw new DspyError('SANDBOX_ERROR', outcome.error.message, { details: outcome.error.details });
}
