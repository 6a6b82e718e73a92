import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DspyError, logger } from '@dspy-ts/core';
import {
  DEFAULT_MEDIA_INLINE_LIMIT,
  type LiftedMedia,
  liftMedia,
  MEDIA_FILE_NAME,
  restoreLiftedMedia,
  writeFileAtomic,
} from '@dspy-ts/core/internal';

/** Format version of checkpoint files (2: records may hold media). Files of version 1 are read too. */
export const CHECKPOINT_VERSION = 2;

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
  /** The `Image`/`Audio`/`File` values taken out of `value`, by path (inline, or by media file). */
  readonly media?: readonly LiftedMedia[];
}

/**
 * The media folder of a checkpoint file: its whole path plus `.media` (`run.ckpt.jsonl` →
 * `run.ckpt.jsonl.media`), a name no artifact's media folder takes (those drop `.json`), since a
 * fresh run empties it.
 */
export function checkpointMediaFolder(path: string): string {
  return `${path}.media`;
}

const MEDIA_FIX =
  "The checkpoint's media folder was changed, removed or corrupted: restore it (it sits beside the checkpoint file), or delete the checkpoint to start afresh.";

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
  /**
   * Media in records of at most this many bytes are stored inline (base64) in the file; larger
   * ones as `<sha256>.<ext>` in the checkpoint's media folder. Default 65536 (as artifacts).
   */
  readonly mediaInlineLimit?: number;
}

/**
 * Progress of one compile run, keyed by a stable name per unit of work (a candidate's
 * evaluation, one bootstrap attempt, ...). Stored as JSONL: a header line, then one line per
 * finished unit, each appended with a single write; a torn last line (a crash mid-write) is
 * ignored on resume. Replaying the records reproduces the uninterrupted run exactly, because
 * every random choice comes from the seed and every record is found by its key.
 *
 * Records may hold `Image`, `Audio` and `File` values (bootstrapped demos of a media signature):
 * they are stored as artifacts store them, inline up to `mediaInlineLimit` bytes, else as
 * content-addressed files `<sha256>.<ext>` in the media folder beside the checkpoint (each
 * written atomically before the line that refers to it), and verified by SHA-256 on resume.
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
  readonly #inlineLimit: number;
  /** Media files known to be in the media folder (written, or checked on resume). */
  readonly #files = new Set<string>();
  #queue: Promise<void> = Promise.resolve();
  /** Records loaded from the file when resuming. */
  readonly resumed: number;

  private constructor(
    path: string | undefined,
    records: Map<string, unknown>,
    inlineLimit: number,
    files: Iterable<string> = [],
  ) {
    this.#path = path;
    this.#inlineLimit = inlineLimit;
    for (const f of files) this.#files.add(f);
    for (const [k, v] of records) this.#records.set(k, v);
    this.resumed = records.size;
  }

  /** Opens (or creates) a checkpoint. Throws `OPTIMIZER_INVALID` when resuming another run's file. */
  static async open(opts: CheckpointOpenOptions): Promise<Checkpoint> {
    const { path } = opts;
    const limit = opts.mediaInlineLimit ?? DEFAULT_MEDIA_INLINE_LIMIT;
    if (!(limit >= 0)) {
      throw new DspyError(
        'OPTIMIZER_INVALID',
        `Checkpoint mediaInlineLimit must be a byte count >= 0, not ${String(limit)}.`,
        {
          details: {
            where: 'Checkpoint.open({ mediaInlineLimit })',
            fix: 'Pass a byte count (65536 is the default), or Infinity to keep every media value inline.',
          },
        },
      );
    }
    if (!path) return new Checkpoint(undefined, new Map(), limit);
    const folder = checkpointMediaFolder(path);
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
        const { records, lines, files } = await parseCheckpoint(text, path, header);
        await writeFileAtomic(path, `${[JSON.stringify(header), ...lines].join('\n')}\n`);
        await pruneMedia(folder, files);
        logger().info(`resuming ${opts.optimizer} from ${path} (${records.size} finished steps)`);
        return new Checkpoint(path, records, limit, files);
      }
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(header)}\n`, 'utf8');
    await pruneMedia(folder, new Set());
    return new Checkpoint(path, new Map(), limit);
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
    const lifted = liftMedia(value, this.#inlineLimit);
    const line: RecordLine =
      lifted.media.length > 0
        ? { type: 'record', key, value: lifted.json, media: lifted.media }
        : { type: 'record', key, value };
    const text = `${JSON.stringify(line)}\n`;
    const folder = checkpointMediaFolder(path);
    this.#queue = this.#queue.then(async () => {
      // Media files first, so a line never refers to a file that is not there.
      for (const [file, bytes] of lifted.files) {
        if (this.#files.has(file)) continue;
        await writeFileAtomic(join(folder, file), bytes);
        this.#files.add(file);
      }
      await appendFile(path, text, 'utf8');
    });
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

interface ParsedCheckpoint {
  readonly records: Map<string, unknown>;
  /** The valid record lines, as they were. */
  readonly lines: string[];
  /** The media files the records refer to (each read and verified). */
  readonly files: Set<string>;
}

async function parseCheckpoint(text: string, path: string, expected: HeaderLine): Promise<ParsedCheckpoint> {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const records = new Map<string, unknown>();
  const kept: string[] = [];
  const files = new Set<string>();
  const folder = checkpointMediaFolder(path);
  const first = lines[0];
  const header = first === undefined ? undefined : (safeParse(first) as Partial<HeaderLine> | undefined);
  if (header?.type !== 'header') {
    throw new DspyError('OPTIMIZER_INVALID', `Checkpoint ${path} has no header line.`, {
      details: { where: path, fix: 'Delete the file, or point `checkpoint` at a file this optimizer wrote.' },
    });
  }
  if (typeof header.version === 'number' && header.version > CHECKPOINT_VERSION) {
    throw new DspyError(
      'OPTIMIZER_INVALID',
      `Checkpoint ${path} has format version ${header.version}; this dspy-ts reads up to ${CHECKPOINT_VERSION}.`,
      {
        details: {
          where: path,
          fix: 'Resume with the dspy-ts version that wrote it, or delete the checkpoint to start afresh.',
        },
      },
    );
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
    let value = rec.value;
    if (rec.media !== undefined) {
      value = await restoreLiftedMedia(value, rec.media, {
        where: `checkpoint ${path} line ${i + 1}`,
        code: 'OPTIMIZER_INVALID',
        fix: MEDIA_FIX,
        read: async (file) => {
          const bytes = new Uint8Array(await readFile(join(folder, file)));
          files.add(file);
          return bytes;
        },
      });
    }
    records.set(rec.key, value);
    kept.push(lines[i] as string);
  }
  return { records, lines: kept, files };
}

/** Removes the media files (`<sha256>.<ext>`) of `folder` not in `keep`, then the folder if empty. */
async function pruneMedia(folder: string, keep: ReadonlySet<string>): Promise<void> {
  const names = await readdir(folder).catch(() => undefined);
  if (!names) return;
  try {
    for (const name of names) {
      if (MEDIA_FILE_NAME.test(name) && !keep.has(name)) await rm(join(folder, name), { force: true });
    }
    if ((await readdir(folder)).length === 0) await rm(folder, { recursive: true, force: true });
  } catch (err) {
    logger().warn(`checkpoint: could not remove old media files from '${folder}': ${String(err)}`);
  }
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
