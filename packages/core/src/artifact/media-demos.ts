import { collectMedia } from '../adapters/media-parts.js';
import { DspyError } from '../errors.js';
import type { PredictorState } from '../modules/types.js';

/**
 * Throws `ARTIFACT_INVALID` when a demo of `state` holds an `Image`, `Audio` or `File`:
 * artifacts do not store media bytes yet, and a demo saved without them would load as a
 * different demo.
 */
export function refuseMediaDemos(state: PredictorState, where: string): void {
  for (const [i, demo] of state.demos.entries()) {
    const [view] = collectMedia({ inputs: demo }).keys();
    if (view === undefined) continue;
    throw new DspyError(
      'ARTIFACT_INVALID',
      `${where} demo ${i} holds media (${view}), which artifacts cannot store yet.`,
      {
        details: {
          where: `${where} demos[${i}]`,
          fix: 'Save a program whose demos are text (e.g. drop or replace media demos before save), and give media demos in code after load.',
        },
      },
    );
  }
}
