import type { Io } from '../../src/index.js';

/** An `Io` that keeps what the CLI writes, for the test to read back. */
export function capture(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    out: () => out,
    err: () => err,
  };
}
