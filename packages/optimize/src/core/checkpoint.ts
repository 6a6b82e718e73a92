import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DspyError, logger } from '@dspy-ts/core';

/** Format version of checkpoint files. */
export const CHECKPOINT_VERSION = 1;

interface HeaderLine {
  readonly type: 'header';
  readonly version: number;
  readonly optimizer: string;
  readonly fingerprint: string;
}

interface RecordLine {
  readonly type: 'record';
  readonly key: string;
  readonly value: unknown;
}

/** Options of {@link Checkpoint.open}. */
export interface CheckpointOpenOptions {
  /** File to append progress to; without it the checkpoint lives in memory only. */
  readonly path?: string;
  /** Continue from the records already in the file (else the file is started afresh). */
  readonly resume?: boolean;
  /** The optimizer's name, for messages. */
  readonly optimizer: string;
  /** Hash of everything that decides the run (options, seed, data, program state). */
  readonly fingerprint: string;
}

/**
 * Progress of one compile run, keyed by a stable name per unit of work (a candidate's
 * evaluation, one bootstrap attempt, ...). Stored as JSONL: a header line, then one line per
 * finished unit, each appended with a single write; a torn last line (a crash mid-write) is
 * ignored on resume. Replaying the records reproduces the uninterrupted run exactly, because
 * every random choice comes from the seed and every record is found by its key.
 *
 * @example
 * ```ts
 * const cp = await Checkpoint.open({ path: 'run.ckpt.jsonl', resume: true, optimizer: 'BootstrapRS', fingerprint });
 * const score = cp.get<number>('eval:-3') ?? (await evaluateIt());
 * await cp.put('eval:-3', score);
 * ```
 */
export class Checkpoint {
  readonly #records = new Map<string, unknown>();
  readonly #path: string | undefined;
  #queue: Promise<void> = Promise.resolve();
  /** Records loaded from the file when resuming. */
  readonly resumed: number;

  private constructor(path: string | undefined, records: Map<string, unknown>) {
    this.#path = path;
    for (const [k, v] of records) this.#records.set(k, v);
    this.resumed = records.size;
  }

  /** Opens (or creates) a checkpoint. Throws `OPTIMIZER_INVALID` when resuming another run's file. */
  static async open(opts: CheckpointOpenOptions): Promise<Checkpoint> {
    const { path } = opts;
    if (!path) return new Checkpoint(undefined, new Map());
    const header: HeaderLine = {
      type: 'header',
      version: CHECKPOINT_VERSION,
      optimizer: opts.optimizer,
      fingerprint: opts.fingerprint,
    };
    if (opts.resume) {
      const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw new DspyError('ARTIFACT_IO', `Cannot read checkpoint ${path}: ${err.message}`, {
          cause: err,
          details: { where: path, fix: 'Check the file permissions, or start without resume.' },
        });
      });
      if (text !== undefined) {
        const records = parseCheckpoint(text, path, header);
        await rewrite(path, header, records);
        logger().info(`resuming ${opts.optimizer} from ${path} (${records.size} finished steps)`);
        return new Checkpoint(path, records);
      }
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(header)}\n`, 'utf8');
    return new Checkpoint(path, new Map());
  }

  /** The stored value for `key`, if that unit of work already finished. */
  get<T>(key: string): T | undefined {
    return this.#records.get(key) as T | undefined;
  }

  /** True when `key` has a record. */
  has(key: string): boolean {
    return this.#records.has(key);
  }

  /** Records a finished unit of work (appended to the file in call order). */
  put(key: string, value: unknown): Promise<void> {
    this.#records.set(key, value);
    const path = this.#path;
    if (!path) return Promise.resolve();
    const line: RecordLine = { type: 'record', key, value };
    const text = `${JSON.stringify(line)}\n`;
    this.#queue = this.#queue.then(() => appendFile(path, text, 'utf8'));
    return this.#queue;
  }

  /** Waits for every pending write. */
  flush(): Promise<void> {
    return this.#queue;
  }

  /** Number of records. */
  get size(): number {
    return this.#records.size;
  }
}

function parseCheckpoint(text: string, path: string, expected: HeaderLine): Map<string, unknown> {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const records = new Map<string, unknown>();
  const first = lines[0];
  const header = first === undefined ? undefined : (safeParse(first) as Partial<HeaderLine> | undefined);
  if (header?.type !== 'header') {
    throw new DspyError('OPTIMIZER_INVALID', `Checkpoint ${path} has no header line.`, {
      details: { where: path, fix: 'Delete the file, or point `checkpoint` at a file this optimizer wrote.' },
    });
  }
  if (header.fingerprint !== expected.fingerprint || header.optimizer !== expected.optimizer) {
    throw new DspyError(
      'OPTIMIZER_INVALID',
      `Checkpoint ${path} belongs to another run (${String(header.optimizer)} with different options, seed, data or program).`,
      {
        details: {
          where: path,
          fix: 'Resume with the same optimizer options, seed, trainset and program, or delete the checkpoint to start afresh.',
        },
      },
    );
  }
  for (let i = 1; i < lines.length; i++) {
    const rec = safeParse(lines[i] as string) as Partial<RecordLine> | undefined;
    if (rec?.type !== 'record' || typeof rec.key !== 'string') {
      if (i === lines.length - 1) break; // a torn last line: the step is redone
      throw new DspyError('OPTIMIZER_INVALID', `Checkpoint ${path} line ${i + 1} is corrupt.`, {
        details: { where: `${path}:${i + 1}`, fix: 'Delete the checkpoint to start afresh.' },
      });
    }
    records.set(rec.key, rec.value);
  }
  return records;
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Rewrites the file with only its valid lines (temp file + rename), so appends stay well-formed. */
async function rewrite(path: string, header: HeaderLine, records: Map<string, unknown>): Promise<void> {
  const lines = [JSON.stringify(header)];
  for (const [key, value] of records) lines.push(JSON.stringify({ type: 'record', key, value }));
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${lines.join('\n')}\n`, 'utf8');
  await rename(tmp, path);
}
