/**
 * The `dspy-ts` executable: runs the CLI on the process arguments and exits with its code
 * (0 ok, 1 failed run, 2 bad usage).
 */
import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Watch mode keeps the process alive; everything else ends here even if a handle lingers.
if (!process.argv.includes('--watch')) process.exit(code);
