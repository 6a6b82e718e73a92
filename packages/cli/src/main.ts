/**
 * The `dspy-ts` executable: runs the CLI on the process arguments and exits with its code
 * (0 ok, 1 failed run, 2 bad usage).
 */
import { runCli } from './cli.js';

/** Resolves once everything written to `stream` so far has been handed to the OS (pipes are asynchronous). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Ends here even if a keep-alive socket or a file watcher lingers.
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(code);
