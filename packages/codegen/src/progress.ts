import { relative } from 'node:path';
import type { BuildProgress } from './types.js';

/** Where progress goes: anything with `write`, and `isTTY` when it is a terminal. */
export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** A progress display for {@link BuildProgress} events; `end()` clears what is left on screen. */
export interface ProgressDisplay {
  readonly onProgress: (event: BuildProgress) => void;
  end(): void;
}

const REDRAW_MS = 50;

/** The text of one progress event (`reading 12 files…`), paths relative to `cwd`. */
export function progressText(event: BuildProgress, cwd: string): string {
  const rel = (file: string) => relative(cwd, file) || file;
  switch (event.phase) {
    case 'loading':
      return `loading TypeScript for ${rel(event.project)}…`;
    case 'reading':
      return `reading ${event.files} file(s)…`;
    case 'extracting':
      return `extracting ${event.done}/${event.total} ${event.file}`;
    case 'writing':
      return `writing ${rel(event.file)}…`;
  }
}

/**
 * Shows build progress on `out` (stderr): on a terminal one line redrawn in place; elsewhere
 * one line per phase (`extracting` once, with the file count).
 */
export function progressDisplay(out: ProgressOutput, cwd: string): ProgressDisplay {
  const tty = out.isTTY === true;
  let last = 0;
  let drawn = false;
  return {
    onProgress(event) {
      if (!tty) {
        if (event.phase === 'extracting' && event.done !== 1) return;
        const text =
          event.phase === 'extracting' ? `extracting from ${event.total} file(s)…` : progressText(event, cwd);
        out.write(`dspy-ts build: ${text}\n`);
        return;
      }
      const now = Date.now();
      const final = event.phase !== 'extracting' || event.done === event.total;
      if (!final && now - last < REDRAW_MS) return;
      last = now;
      drawn = true;
      out.write(`\r\u001b[2Kdspy-ts build: ${progressText(event, cwd)}`);
    },
    end() {
      if (drawn) out.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
