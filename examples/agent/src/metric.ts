import type { AgentStep, History, Metric } from '@dspy-ts/core';

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();

/** The orders a run opened a refund for: the `openRefund` calls that succeeded. */
export function refundedOrders(trajectory: History<AgentStep> | undefined): string[] {
  const orders = new Set<string>();
  for (const step of trajectory?.messages ?? []) {
    for (const result of step.results) {
      const refund = result.value as { orderId?: unknown } | undefined;
      if (result.name === 'openRefund' && result.ok && typeof refund?.orderId === 'string')
        orders.add(refund.orderId);
    }
  }
  return [...orders];
}

/**
 * Task success, 1 or 0: the outcome is the expected fact (the order status, the parcel status,
 * or the refund id; case, spaces and underscores aside) AND the run's side effects are the right
 * ones: a refund opened for the order the customer named when they asked for one, and no refund
 * for any other order. The refunds are read from the run's trajectory (the calls the tools
 * answered), so concurrent runs do not see each other's.
 */
export const taskSuccess: Metric = (example, prediction) => {
  const expected = String(example.get('expected'));
  const refundOrder = String(example.get('refundOrder') ?? '');
  const stated = normalize(String(prediction.get('outcome') ?? '')) === normalize(expected);
  const refunds = refundedOrders(prediction.get('trajectory') as History<AgentStep> | undefined);
  const wanted = refundOrder === '' ? [] : [refundOrder];
  const rightRefunds = refunds.length === wanted.length && wanted.every((id) => refunds.includes(id));
  return stated && rightRefunds ? 1 : 0;
};
