import { Command, CommanderError } from 'commander';
import { buildCommand } from './commands/build.js';
import { compileCommand } from './commands/compile.js';
import { evalCommand } from './commands/eval.js';
import { inspectCommand } from './commands/inspect.js';
import { runCommand } from './commands/run.js';
import { workerCommand } from './commands/worker.js';
import { type Io, processIo } from './context.js';
import { EXIT_OK, EXIT_USAGE, exitCodeOf, formatError } from './errors.js';
import { type CliCommand, inCliTerms } from './fix-text.js';
import { OPTIMIZERS } from './optimizers.js';
import { CLI_VERSION } from './version.js';

type Action = () => Promise<number>;

/** Runs a command's action with the fix texts of its errors in the command line's terms. */
function inTermsOf(command: CliCommand, action: Action): Action {
  return () =>
    action().catch((err: unknown) => {
      throw inCliTerms(err, command);
    });
}

function lmOptions(cmd: Command): Command {
  return cmd
    .option('--lm <provider/model>', "the LM (e.g. openai/gpt-4o-mini, ollama/llama3.2, or 'offline')")
    .option('--base-url <url>', 'base URL of an OpenAI-compatible server for --lm')
    .option('--concurrency <n>', 'concurrent LM calls')
    .option('--json', 'machine-readable output on stdout');
}

/** `--redis` and its kin on `eval` and `compile`: their evaluations run on `dspy-ts worker` processes. */
function queueOptions(cmd: Command): Command {
  return cmd
    .option(
      '--redis <url>',
      'run the evaluations on dspy-ts worker processes listening on this Redis (default: DSPY_TS_REDIS_URL when set, else here)',
    )
    .option('--connection <url>', 'the same as --redis')
    .option('--no-redis', 'evaluate in this process even when DSPY_TS_REDIS_URL is set')
    .option(
      '--queue <name>',
      "the workers' queue (default dspy-ts-evaluate), as given to dspy-ts worker --queue",
    )
    .option('--examples-per-job <n>', 'examples one queued job carries (default 1; 4 suits large runs)');
}

/** `--connection` is another name of `--redis` (as on `dspy-ts worker`). */
function withRedis<F extends { redis?: string | boolean; connection?: string }>(
  flags: F,
): F & { redis?: string | false } {
  const redis =
    typeof flags.redis === 'string' ? flags.redis : flags.redis === false ? false : flags.connection;
  const { connection: _alias, ...rest } = flags;
  return { ...rest, ...(redis !== undefined ? { redis } : {}) } as F & { redis?: string | false };
}

function programOptions(cmd: Command): Command {
  return cmd
    .option(
      '--project <tsconfig>',
      'tsconfig of the project (its generated module is built when missing or stale, then imported)',
    )
    .option(
      '--generated <file>',
      'the generated module to import (default: src/dspy.generated.ts beside the tsconfig)',
    );
}

/**
 * The `dspy-ts` command line as a commander program. `run` is wired to set `exitCode`.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export function createCli(io: Io, setExit: (action: Action) => Promise<void>): Command {
  const program = new Command('dspy-ts')
    .description('Build, compile, evaluate, inspect and run dspy-ts programs.')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('build')
    .description('extract signature and tool types into the generated module (the build step)')
    .option('--project <tsconfig>', 'tsconfig of the project', undefined)
    .option('--out <file>', 'generated module path (default: src/dspy.generated.ts beside the tsconfig)')
    .option('--watch', 'rebuild on every change')
    .option('--progress', 'show progress on stderr (default: when stderr is a terminal)')
    .option('--no-progress', 'never show progress')
    .option('--no-cache', 'ignore the file-hash cache')
    .option('--json', 'the signatures, tools and diagnostics found, as JSON on stdout')
    .action((flags) => setExit(() => buildCommand(flags, io)));

  const compile = programOptions(
    lmOptions(
      program
        .command('compile')
        .description('compile a program with an optimizer into a frozen artifact (and a report beside it)')
        .argument('<program>', 'module path and export, e.g. src/triage.ts#Triage')
        .requiredOption('--optimizer <name>', `one of ${Object.keys(OPTIMIZERS).join(', ')}`)
        .requiredOption('--trainset <file>', 'training data (.jsonl, .csv or .json)')
        .option('--out <file>', 'artifact path (the report is written beside it); required unless --dry-run')
        .option('--valset <file>', 'validation data (default: per optimizer)')
        .option('--inputs <keys>', 'input keys of the data, comma-separated (default: from the signature)')
        .option(
          '--metric <name>',
          'exactMatch | f1 (optionally name:field) | module#export (default: exactMatch)',
        )
        .option('--seed <n>', 'seed of every random choice')
        .option('--budget <limits>', 'stop cleanly at calls=N,tokens=N,cost=USD')
        .option(
          '--max-cost <usd>',
          'stop cleanly before a call would take the spend past this many US dollars',
        )
        .option('--max-tokens <n>', 'stop cleanly before a call would take the tokens spent past n')
        .option('--dry-run', 'print the planned LM calls and their estimated cost; call and write nothing')
        .option('--options <json>', 'optimizer options as a JSON object')
        .option('--checkpoint <file>', 'record progress to this JSONL file')
        .option('--resume', 'continue from the checkpoint (default <out>.ckpt.jsonl)'),
    ),
  );
  queueOptions(compile).action((programText: string, flags) =>
    setExit(inTermsOf('compile', () => compileCommand(programText, withRedis(flags), io))),
  );

  const evalCmd = programOptions(
    lmOptions(
      program
        .command('eval')
        .description('score a program or an artifact on a dataset')
        .argument('<target>', 'module#Export, or an artifact .json')
        .requiredOption('--devset <file>', 'data to score on (.jsonl, .csv or .json)')
        .option(
          '--program <module#Export>',
          'the program an artifact is loaded into (or program in dspy-ts.config)',
        )
        .option('--allow-signature-drift', 'load an artifact whose signatures changed since it was compiled')
        .option('--inputs <keys>', 'input keys of the data, comma-separated')
        .option(
          '--metric <name>',
          "exactMatch | f1 (optionally name:field) | module#export (default: the artifact's recorded built-in metric, else exactMatch)",
        )
        .option('--save-as <file>', 'write per-example results (.csv or .json)')
        .option('--max-errors <n>', 'program errors tolerated before the run stops (default 10)')
        .option('--max-cost <usd>', 'stop before a call would take the spend past this many US dollars')
        .option('--max-tokens <n>', 'stop before a call would take the tokens spent past n')
        .option('--table', 'print a table of the first results'),
    ),
  );
  queueOptions(evalCmd).action((target: string, flags) =>
    setExit(inTermsOf('eval', () => evalCommand(target, withRedis(flags), io))),
  );

  program
    .command('inspect')
    .description('summarise an artifact: predictors, instructions, demos, provenance, scores')
    .argument('<artifact>', 'artifact .json')
    .option('--demos <n>', 'demos shown per predictor', '3')
    .option('--json', 'print the artifact as JSON')
    .action((path: string, flags) => setExit(() => inspectCommand(path, flags, io)));

  programOptions(
    lmOptions(
      program
        .command('run')
        .description('load an artifact into the program you name and run it on one input')
        .argument('<artifact>', 'artifact .json')
        .option('--input <json>', 'the inputs as a JSON object, @file.json, or - for stdin')
        .option('--input-file <file>', 'read the inputs (a JSON object) from this file, or - for stdin')
        .option(
          '--program <module#Export>',
          'the program the artifact is loaded into (or program in dspy-ts.config)',
        )
        .option('--allow-signature-drift', 'load an artifact whose signatures changed since it was compiled'),
    ),
  ).action((path: string, flags) => setExit(inTermsOf('run', () => runCommand(path, flags, io))));

  programOptions(
    program
      .command('worker')
      .description(
        'run the evaluation jobs a QueueRunner queues on Redis (evaluate, optimizer candidates) until SIGINT/SIGTERM',
      )
      .requiredOption(
        '--program <module#Export>',
        'a program the jobs may name (repeat for more)',
        (value: string, list: string[]) => [...list, value],
        [] as string[],
      )
      .option(
        '--redis <url>',
        'the Redis the runners queue on (default: DSPY_TS_REDIS_URL, else redis://127.0.0.1:6379)',
      )
      .option('--connection <url>', 'the same as --redis')
      .option(
        '--queue <name>',
        'the queue (default dspy-ts-evaluate); eval/compile --queue and QueueRunner must use the same',
      )
      .option('--concurrency <n>', 'examples run at once, each making its LM calls (default 16)')
      .option('--lm <provider/model>', "the LM (e.g. openai/gpt-4o-mini, ollama/llama3.2, or 'offline')")
      .option('--base-url <url>', 'base URL of an OpenAI-compatible server for --lm')
      .option(
        '--metric <module#export>',
        'a metric function of the project the jobs may name (repeat for more; built-in metrics need none)',
        (value: string, list: string[]) => [...list, value],
        [] as string[],
      )
      .option(
        '--stalled-after <ms>',
        'a job whose worker stops answering (killed, hung) is run again elsewhere after this (default 30000)',
      )
      .option('--log-every <s>', 'seconds between progress lines on stderr (0: none; default 10)'),
  ).action((flags) => setExit(() => workerCommand({ ...flags, redis: flags.redis ?? flags.connection }, io)));

  return program;
}

/** Runs the CLI on `argv` (without `node` and the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = EXIT_OK;
  const setExit = async (action: Action) => {
    try {
      code = await action();
    } catch (err) {
      io.stderr.write(`${formatError(err)}\n`);
      code = exitCodeOf(err);
    }
  };
  const program = createCli(io, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
      return ok ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`${formatError(err)}\n`);
    return exitCodeOf(err);
  }
  return code;
}
