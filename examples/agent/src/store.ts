import { readFileSync } from 'node:fs';

/** What an order's status can be. */
export type OrderStatus = 'processing' | 'shipped' | 'delivered' | 'cancelled';

/**
 * What a parcel's status can be, as the carrier reports it: at a sorting centre, on its way between
 * hubs, held up, out with the driver today, waiting at a pickup point, or delivered.
 */
export type ParcelStatus = 'sorting' | 'transit' | 'delayed' | 'delivering' | 'pickup' | 'delivered';

/** One line of an order. */
export interface OrderItem {
  readonly name: string;
  readonly quantity: number;
  /** Unit price in euros. */
  readonly price: number;
}

/** An order as the store keeps it. */
export interface Order {
  readonly orderId: string;
  readonly customerId: string;
  /** ISO date. */
  readonly placedOn: string;
  readonly items: readonly OrderItem[];
  /** In euros. */
  readonly total: number;
  readonly status: OrderStatus;
  /** Set once the order has shipped. */
  readonly trackingNumber: string | null;
}

/** A parcel as the carrier reports it. */
export interface Parcel {
  readonly trackingNumber: string;
  readonly carrier: string;
  readonly status: ParcelStatus;
  /** Where and when the parcel was last scanned. */
  readonly lastScan: { readonly at: string; readonly place: string };
  /** Expected delivery date (ISO), when the carrier gives one. */
  readonly eta: string | null;
}

/** A customer account. */
export interface Customer {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  /** Newest first. */
  readonly orderIds: readonly string[];
}

/** The whole store: what `data/store.json` holds. */
export interface StoreData {
  readonly customers: readonly Customer[];
  readonly orders: readonly Order[];
  readonly parcels: readonly Parcel[];
}

/** A refund the support desk opened. */
export interface Refund {
  readonly refundId: string;
  readonly orderId: string;
  readonly amount: number;
  readonly reason: string;
  /** Always `refunded`: the money goes back to the customer. */
  readonly status: 'refunded';
}

/** The refund id of an order: one refund per order, so opening it again gives the same id. */
export const refundIdOf = (orderId: string): string => `RF-${orderId.replace(/^ORD-/, '')}`;

/** Reads `data/store.json`. */
export function loadStore(): StoreData {
  return JSON.parse(readFileSync(new URL('../data/store.json', import.meta.url), 'utf8')) as StoreData;
}
