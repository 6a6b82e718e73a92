/**
 * ANSI colours for the few places core prints (history, progress). Decided when asked, never at
 * import: `NO_COLOR` turns them off, `FORCE_COLOR` (other than `0`) on, otherwise they follow
 * whether the stream is a terminal.
 */

/** The colour functions core uses; each returns its text unchanged when colours are off. */
export interface Paint {
  readonly bold: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const ON: Paint = { bold: wrap(1, 22), cyan: wrap(36, 39), green: wrap(32, 39), red: wrap(31, 39) };
const same = (text: string): string => text;
const OFF: Paint = { bold: same, cyan: same, green: same, red: same };

/** Whether to colour what is written to `stream` (default stdout), after the environment's say. */
export function colorsWanted(stream: { readonly isTTY?: boolean } = process.stdout): boolean {
  const env = process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colour functions, on or off. */
export function paint(enabled: boolean): Paint {
  return enabled ? ON : OFF;
}
