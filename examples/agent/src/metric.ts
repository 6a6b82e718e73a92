import type { AgentStep, History, Metric } from '@dspy-ts/core';

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

const stepsOf = (trajectory: History<AgentStep> | undefined) => trajectory?.messages ?? [];

/** The orders a run opened a refund for: the `openRefund` calls that succeeded. */
export function refundedOrders(trajectory: History<AgentStep> | undefined): string[] {
  const orders = new Set<string>();
  for (const step of stepsOf(trajectory)) {
    for (const result of step.results) {
      const refund = result.value as { orderId?: unknown } | undefined;
      if (result.name === 'openRefund' && result.ok && typeof refund?.orderId === 'string')
        orders.add(refund.orderId);
    }
  }
  return [...orders];
}

/** True when a tool that succeeded during the run gave `value` (as a JSON string value). */
function toolsGave(trajectory: History<AgentStep> | undefined, value: string): boolean {
  const quoted = JSON.stringify(value);
  return stepsOf(trajectory).some((step) => step.results.some((r) => r.ok && r.content.includes(quoted)));
}

/**
 * Task success, 1 or 0. The outcome is the labelled one (the order's status, the parcel's status,
 * or `refunded`; case, spaces and underscores aside), and a tool gave it during the run (a right
 * guess without looking is not a success); AND the run's side effects are the right ones: a
 * refund opened for the order the customer named when they asked for one, and no refund for any
 * other order. Everything is read from the run's trajectory (the calls the tools answered), so
 * concurrent runs do not see each other's.
 */
export const taskSuccess: Metric = (example, prediction) => {
  const expected = String(example.get('outcome'));
  const refundOrder = String(example.get('refundOrder') ?? '');
  const trajectory = prediction.get('trajectory') as History<AgentStep> | undefined;
  const stated = normalize(String(prediction.get('outcome') ?? '')) === normalize(expected);
  const refunds = refundedOrders(trajectory);
  const wanted = refundOrder === '' ? [] : [refundOrder];
  const rightRefunds = refunds.length === wanted.length && wanted.every((id) => refunds.includes(id));
  return stated && toolsGave(trajectory, expected) && rightRefunds ? 1 : 0;
};
