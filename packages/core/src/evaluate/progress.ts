import { colorsWanted, paint } from '../utils/colors.js';

/** Where progress lines go: anything with `write`, and `isTTY` when it is a terminal. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** A one-line progress display: `Average metric: 41.0 / 50 (82.0%) | 50/100 | errors 0`. */
export class ProgressLine {
  #last = 0;
  #shown = false;
  readonly #color: boolean;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
  ) {
    this.#color = colorsWanted(stream);
  }

  /** Redraws the line (at most every 100 ms unless `force`). */
  update(sum: number, done: number, errors: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.#last < 100) return;
    this.#last = now;
    this.#shown = true;
    this.stream.write(`\r${formatProgress(sum, done, this.total, errors, this.#color)}\u001b[K`);
  }

  /** Draws the final state and ends the line. */
  finish(sum: number, done: number, errors: number): void {
    this.update(sum, done, errors, true);
    if (this.#shown) this.stream.write('\n');
  }
}

/** The progress text for `done` of `total` examples whose scores add up to `sum` (`color`: errors in red). */
export function formatProgress(
  sum: number,
  done: number,
  total: number,
  errors: number,
  color = false,
): string {
  const pct = done === 0 ? 0 : (100 * sum) / done;
  const errText = errors > 0 ? paint(color).red(`errors ${errors}`) : `errors ${errors}`;
  return `Average metric: ${sum.toFixed(1)} / ${done} (${pct.toFixed(1)}%) | ${done}/${total} | ${errText}`;
}
