import type { AgentStep, Example, History } from '@dspy-ts/core';
import type { Task } from './tasks.js';

/** What the metric reads of a support agent's prediction. */
export interface SupportPrediction {
  readonly reply: string;
  /** The agent's steps: every tool call it made and what each gave. */
  readonly trajectory: History<AgentStep>;
}

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

/** The orders a run opened a refund for: the `openRefund` calls that succeeded. */
export function refundedOrders(trajectory: History<AgentStep>): string[] {
  const orders = new Set<string>();
  for (const step of trajectory.messages) {
    for (const result of step.results) {
      const refund = result.value as { orderId?: unknown } | undefined;
      if (result.name === 'openRefund' && result.ok && typeof refund?.orderId === 'string')
        orders.add(refund.orderId);
    }
  }
  return [...orders];
}

/**
 * Task success, 1 or 0: the reply states the expected fact (the order status, the parcel status,
 * or the refund id) AND the run's side effects are the right ones: a refund opened for the order
 * the customer named when they asked for one, and no refund for any other order.
 */
export function taskSuccess(example: Example<Task>, prediction: SupportPrediction): number {
  const stated = normalize(String(prediction.reply ?? '')).includes(normalize(example.expected));
  const refunds = refundedOrders(prediction.trajectory);
  const wanted = example.refundOrder === '' ? [] : [example.refundOrder];
  const rightRefunds = refunds.length === wanted.length && wanted.every((id) => refunds.includes(id));
  return stated && rightRefunds ? 1 : 0;
}
