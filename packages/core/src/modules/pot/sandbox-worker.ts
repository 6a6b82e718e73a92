import type { MessagePort } from 'node:worker_threads';
import { DspyError } from '../../errors.js';
import { preloadQuickJS, runInThisThread, type SandboxOptions, type SandboxResult } from './sandbox.js';

/** A job sent to a sandbox worker. @internal */
export interface SandboxJob {
  readonly code: string;
  readonly opts: Omit<SandboxOptions, 'worker'>;
}

/** What a sandbox worker sends back. @internal */
export type SandboxReply =
  | { readonly type: 'ready' }
  | { readonly type: 'fatal'; readonly message: string }
  | { readonly type: 'done'; readonly ok: true; readonly result: SandboxResult }
  | {
      readonly type: 'done';
      readonly ok: false;
      readonly error: { message: string; details: Record<string, unknown> };
    };

function errorReply(err: unknown): SandboxReply {
  if (err instanceof DspyError) {
    return { type: 'done', ok: false, error: { message: err.message, details: { ...err.details } } };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { type: 'done', ok: false, error: { message, details: { kind: 'runtime', where: 'runSandboxed' } } };
}

/**
 * The worker side: loads QuickJS, says `ready`, then runs one job per message in this thread
 * (the host terminates the whole thread when a job overruns its deadline). @internal
 */
export async function serveSandbox(port: MessagePort): Promise<void> {
  await preloadQuickJS();
  port.on('message', (job: SandboxJob) => {
    runInThisThread(job.code, job.opts).then(
      (result) => port.postMessage({ type: 'done', ok: true, result } satisfies SandboxReply),
      (err: unknown) => port.postMessage(errorReply(err)),
    );
  });
  port.postMessage({ type: 'ready' } satisfies SandboxReply);
}
