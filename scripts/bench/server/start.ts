// The test server of the LM client and retrieval benchmarks, run in a child process (its own
// CPU) so that a benchmark measures the client, not the server.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts `@dspy-ts/testing`'s server in a child process and returns its URL; dispose to stop it. */
export async function startServer(latencyMs: number): Promise<{ url: string } & AsyncDisposable> {
  const child = fork(join(here, 'child.ts'), [String(latencyMs)], {
    execArgv: ['--conditions=@dspy-ts/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { url: string }).url));
    child.once('error', reject);
  });
  return {
    url,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}
