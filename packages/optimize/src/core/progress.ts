import cliProgress from 'cli-progress';

/** Where compile progress goes. */
export interface ProgressSink {
  /** Sets the amount of work expected (trials, candidates, examples). */
  start(total: number, label: string): void;
  /** Reports finished work and the best score so far (0..100). */
  update(done: number, best: number | undefined): void;
  stop(): void;
}

/** A sink that shows nothing. */
export const quietProgress: ProgressSink = { start() {}, update() {}, stop() {} };

/**
 * A progress bar on stderr with the best score so far when stderr is a terminal (or when
 * `enabled` is true), else {@link quietProgress}.
 */
export function progressBar(enabled?: boolean): ProgressSink {
  const on = enabled ?? Boolean(process.stderr.isTTY);
  if (!on) return quietProgress;
  let bar: InstanceType<typeof cliProgress.SingleBar> | undefined;
  return {
    start(total, label) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        {
          format: `${label} [{bar}] {value}/{total} | best {best}`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { best: '—' });
    },
    update(done, best) {
      bar?.update(done, { best: best === undefined ? '—' : best.toFixed(1) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
