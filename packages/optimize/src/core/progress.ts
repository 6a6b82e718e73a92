import cliProgress from 'cli-progress';

/** Where compile progress goes. */
export interface ProgressSink {
  /** Sets the amount of work expected (trials, candidates, examples). */
  start(total: number, label: string): void;
  /** Reports finished work and the best score so far (0..100). */
  update(done: number, best: number | undefined): void;
  stop(): void;
}

/** A writable text stream, such as `process.stderr` (a type that needs no Node typings). */
export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** A sink that shows nothing. */
export const quietProgress: ProgressSink = { start() {}, update() {}, stop() {} };

/**
 * A progress bar on `stream` (default stderr) with the best score so far when it is a terminal
 * (or when `enabled` is true), else {@link quietProgress}. Work that ends early (a search that
 * skipped repeated candidates, a budget stop) ends the bar at what was done, e.g. `9/9`.
 */
export function progressBar(enabled?: boolean, stream: ProgressStream = process.stderr): ProgressSink {
  const on = enabled ?? Boolean(stream.isTTY);
  if (!on) return quietProgress;
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  let done = 0;
  return {
    start(total, label) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} | best {best}`,
          stream: stream as NodeJS.WritableStream,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      done = 0;
      bar.start(total, 0, { best: '—' });
    },
    update(value, best) {
      done = value;
      bar?.update(value, { best: best === undefined ? '—' : best.toFixed(1) });
    },
    stop() {
      if (bar && done < bar.getTotal()) bar.setTotal(done);
      bar?.stop();
      bar = undefined;
    },
  };
}
