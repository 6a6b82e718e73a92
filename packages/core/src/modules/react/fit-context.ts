import type { Prediction } from '../../data/prediction.js';
import { DspyError, isDspyError } from '../../errors.js';
import { addUsage, type Usage } from '../../lm/types.js';
import { logger } from '../../settings.js';
import type { AgentStep } from '../../tools/agent-step.js';
import type { Fields } from '../fields.js';

/** A running total of the LM usage of a run. @internal */
export interface Tally {
  usage: Usage;
  cost: number;
  lmCalls: number;
}

/**
 * The steps of one run and how many of the oldest are left out of prompts (dropped, whole, to fit
 * the context window; the run's result keeps them all). @internal
 */
export interface StepWindow {
  readonly steps: AgentStep[];
  start: number;
}

/**
 * Calls a predictor with the steps still in the window; when the prompt overflows the context
 * window, drops the oldest whole step (its calls with their results) and tries again, at most
 * `maxTruncations` times in the run. Adds the call's usage to `tally`. @internal
 */
export async function fitContext<P extends Prediction<Fields>>(
  where: string,
  maxTruncations: number,
  window: StepWindow,
  tally: Tally,
  run: (visible: readonly AgentStep[], omitted: number) => Promise<P>,
): Promise<P> {
  for (;;) {
    try {
      const pred = await run(window.steps.slice(window.start), window.start);
      tally.usage = addUsage(tally.usage, pred.usage);
      tally.cost += pred.cost;
      tally.lmCalls += pred.lmCalls;
      return pred;
    } catch (err) {
      if (!isDspyError(err, 'LM_CONTEXT_OVERFLOW')) throw err;
      const dropped = window.start;
      if (dropped >= window.steps.length || dropped >= maxTruncations) throw overflow(where, err, window);
      window.start += 1;
      logger().warn(`${where}: context window exceeded; dropping the oldest step and retrying.`);
    }
  }
}

function overflow(where: string, cause: DspyError, window: StepWindow): DspyError {
  return new DspyError(
    'LM_CONTEXT_OVERFLOW',
    `${where}: the prompt overflows the context window even after dropping ${window.start} of ${window.steps.length} steps.`,
    {
      cause,
      details: {
        where,
        fix: 'Shorten the inputs or tool results, lower maxIters, raise maxTruncations, or use a model with a larger context window.',
      },
    },
  );
}
