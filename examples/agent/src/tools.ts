import { Tool } from '@dspy-ts/core';
import { type Order, type Parcel, type Refund, refundIdOf, type StoreData } from './store.js';

/**
 * The support desk's own tools: typed methods over the store's data. `dspy-ts build` turns each
 * one's parameters and JSDoc into the argument schema the model sees.
 */
export class SupportTools {
  readonly #orders: ReadonlyMap<string, Order>;
  readonly #parcels: ReadonlyMap<string, Parcel>;
  /** Refunds opened so far, by order id. */
  readonly refunds = new Map<string, Refund>();

  constructor(store: StoreData) {
    this.#orders = new Map(store.orders.map((o) => [o.orderId, o]));
    this.#parcels = new Map(store.parcels.map((p) => [p.trackingNumber, p]));
  }

  /**
   * Looks up an order: its status, items, total and, once shipped, its tracking number.
   * @param orderId The order number, e.g. ORD-48213.
   */
  @Tool()
  lookupOrder(orderId: string): Order {
    return this.#order(orderId);
  }

  /**
   * Asks the carrier where a parcel is: its status, last scan and expected delivery date.
   * @param trackingNumber The tracking number of a shipped order (from lookupOrder), e.g. TRK-5501234567.
   */
  @Tool()
  trackParcel(trackingNumber: string): Parcel {
    const parcel = this.#parcels.get(trackingNumber.trim().toUpperCase());
    if (!parcel) throw new Error(`no parcel has tracking number '${trackingNumber}'.`);
    return parcel;
  }

  /**
   * Opens a refund of a delivered order for its full amount, and returns the refund.
   * An order has one refund: opening it again gives the same refund id.
   * @param orderId The order number, e.g. ORD-48213.
   * @param reason Why the customer wants the money back, in a few words.
   */
  @Tool()
  openRefund(orderId: string, reason: string): Refund {
    const order = this.#order(orderId);
    if (order.status !== 'delivered') {
      throw new Error(
        `order ${order.orderId} is ${order.status}, not delivered: only a delivered order can get its money back.`,
      );
    }
    const refund = {
      refundId: refundIdOf(order.orderId),
      orderId: order.orderId,
      amount: order.total,
      reason,
      status: 'refunded' as const,
    };
    this.refunds.set(order.orderId, refund);
    return refund;
  }

  #order(orderId: string): Order {
    const order = this.#orders.get(orderId.trim().toUpperCase());
    if (!order) throw new Error(`no order has the number '${orderId}'.`);
    return order;
  }
}
