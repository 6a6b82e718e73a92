/**
 * Writes the example's synthetic data, the same every run (seed 13): `data/store.json` (customers,
 * orders, parcels) and `data/train.jsonl` / `data/dev.jsonl` (customer messages with the outcome a
 * correct agent reaches). Each task uses orders and customers of its own, so the held-out dev set
 * shares no order with the training set.
 *
 * Run: `pnpm --filter @dspy-ts/example-agent make-data`
 */
import { writeFileSync } from 'node:fs';
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import type { Customer, Order, OrderStatus, Parcel, ParcelStatus, StoreData } from './store.js';
import type { Task, TaskKind } from './tasks.js';

const SEED = 13;
const PER_KIND = 20;

const FIRST = ['Maria', 'Tom', 'Aisha', 'Lukas', 'Sofia', 'Kenji', 'Nora', 'Mateo', 'Elif', 'Jonas'];
const LAST = [
  'Keller',
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Novak',
  'Silva',
  'Brennan',
  'Haddad',
  'Kowalski',
];
const PRODUCTS: readonly [string, number][] = [
  ['wireless headphones', 79.9],
  ['coffee grinder', 45.5],
  ['desk lamp', 32],
  ['running shoes', 98],
  ['yoga mat', 24.99],
  ['phone case', 15.5],
  ['backpack', 64],
  ['water bottle', 18.75],
  ['keyboard', 59.9],
  ['rain jacket', 120],
];
const CARRIERS = ['DHL', 'UPS', 'PostNL', 'GLS'];
const PLACES = ['Leipzig hub', 'Amsterdam depot', 'Lyon sorting centre', 'local delivery van', 'Milan hub'];
const IN_FLIGHT: readonly ParcelStatus[] = ['sorting', 'transit', 'delayed', 'delivering', 'pickup'];
const ORDER_STATUSES: readonly OrderStatus[] = ['processing', 'shipped', 'delivered', 'cancelled'];

/** Message templates per kind; `{order}`, `{email}`, `{name}`, `{product}` are filled in. */
const TEMPLATES: Record<TaskKind, readonly string[]> = {
  status: [
    "Hi, what's the status of my order {order}?",
    'Has order {order} been processed yet?',
    'Could you check the status of order {order} for me?',
    '{name} here. What is happening with order {order}?',
  ],
  track: [
    'Where is my parcel? The order number is {order}.',
    'Can you track the package for order {order}? I have not received it.',
    'My order {order} shipped. Where is the parcel now?',
    'Please track the delivery of {order}, the {product} has not arrived.',
  ],
  refund: [
    'The {product} from order {order} arrived broken. I want a refund.',
    'I received the wrong item in order {order}, please refund me.',
    'Please refund order {order}, the {product} is not as described.',
    'Order {order} came damaged, I would like my money back.',
  ],
  latest: [
    "Hi, I'm {name} ({email}). Where is my latest order?",
    'My email is {email}. Can you track my most recent parcel?',
    '{email} here, where is the package of my last order?',
    'This is {name}, account {email}. Where is my newest order right now?',
  ],
};

class Random {
  readonly #gen: RandomGenerator;
  constructor(seed: number) {
    this.#gen = xoroshiro128plus(seed);
  }
  int(lo: number, hi: number): number {
    return unsafeUniformIntDistribution(lo, hi, this.#gen);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)] as T;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

const rng = new Random(SEED);
const day = (d: number) => `2026-${d > 30 ? '12' : '11'}-${String(d > 30 ? d - 30 : d).padStart(2, '0')}`;
const usedIds = new Set<string>();
function uniqueId(prefix: string, digits: number): string {
  for (;;) {
    const id = `${prefix}${Array.from({ length: digits }, () => rng.int(0, 9)).join('')}`;
    if (!/^\D*0/.test(id) && !usedIds.has(id)) {
      usedIds.add(id);
      return id;
    }
  }
}

const orders: Order[] = [];
const parcels: Parcel[] = [];
const customers: Customer[] = [];

function makeOrder(customerId: string, status: OrderStatus, parcelStatus?: ParcelStatus): Order {
  const [product, price] = rng.pick(PRODUCTS);
  const quantity = rng.int(1, 2);
  const placed = rng.int(5, 25);
  let trackingNumber: string | null = null;
  if (status === 'shipped' || status === 'delivered') {
    trackingNumber = uniqueId('TRK-', 10);
    const parcel = status === 'delivered' ? 'delivered' : (parcelStatus ?? rng.pick(IN_FLIGHT));
    parcels.push({
      trackingNumber,
      carrier: rng.pick(CARRIERS),
      status: parcel,
      lastScan: {
        at: `${day(placed + 3)}T${String(rng.int(7, 19)).padStart(2, '0')}:15`,
        place: rng.pick(PLACES),
      },
      eta: parcel === 'delivered' ? null : day(placed + rng.int(5, 9)),
    });
  }
  const order: Order = {
    orderId: uniqueId('ORD-', 5),
    customerId,
    placedOn: day(placed),
    items: [{ name: product, quantity, price }],
    total: Math.round(quantity * price * 100) / 100,
    status,
    trackingNumber,
  };
  orders.push(order);
  return order;
}

/** A customer with a few older orders and `newest` as the most recent one. */
function makeCustomer(index: number, newest: (customerId: string) => Order): Customer {
  const customerId = `C-${1001 + index}`;
  const name = `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`;
  const older = Array.from({ length: rng.int(0, 2) }, () => makeOrder(customerId, 'delivered'));
  const customer: Customer = {
    customerId,
    name,
    email: `${name.toLowerCase().replace(' ', '.')}@example.com`,
    orderIds: [newest(customerId).orderId, ...older.map((o) => o.orderId).reverse()],
  };
  customers.push(customer);
  return customer;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/** One task of a kind, with the order (and customer) it is about. */
function makeTask(kind: TaskKind, index: number): Task {
  const template = rng.pick(TEMPLATES[kind]);
  let order: Order | undefined;
  const customer = makeCustomer(index, (customerId) => {
    const status: OrderStatus =
      kind === 'status' ? rng.pick(ORDER_STATUSES) : kind === 'refund' ? 'delivered' : 'shipped';
    order = makeOrder(customerId, status);
    return order;
  });
  if (!order) throw new Error('unreachable: every customer has a newest order');
  const parcel = parcels.find((p) => p.trackingNumber === order?.trackingNumber);
  const values = {
    order: order.orderId,
    email: customer.email,
    name: customer.name.split(' ')[0] ?? customer.name,
    product: order.items[0]?.name ?? 'item',
  };
  const outcome = kind === 'status' ? order.status : kind === 'refund' ? 'refunded' : (parcel?.status ?? '');
  return {
    message: fill(template, values),
    kind,
    outcome,
    refundOrder: kind === 'refund' ? order.orderId : '',
  };
}

const kinds: TaskKind[] = ['status', 'track', 'refund', 'latest'];
const byKind = kinds.map((kind, k) =>
  Array.from({ length: PER_KIND }, (_, i) => makeTask(kind, k * PER_KIND + i)),
);
const train = rng.shuffle(byKind.flatMap((tasks) => tasks.slice(0, PER_KIND / 2)));
const dev = rng.shuffle(byKind.flatMap((tasks) => tasks.slice(PER_KIND / 2)));
const store: StoreData = {
  customers: rng.shuffle(customers),
  orders: rng.shuffle(orders),
  parcels: rng.shuffle(parcels),
};

const dataDir = new URL('../data/', import.meta.url);
const jsonl = (rows: readonly Task[]) => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
// Indented JSON with lists of plain values on one line, as the repository's formatter keeps it.
const storeJson = JSON.stringify(store, null, 2).replace(
  /\[\n\s+("[^"\n]*"(?:,\n\s+"[^"\n]*")*)\n\s+\]/g,
  (_, items: string) => `[${items.split(/,\n\s+/).join(', ')}]`,
);
writeFileSync(new URL('store.json', dataDir), `${storeJson}\n`);
writeFileSync(new URL('train.jsonl', dataDir), jsonl(train));
writeFileSync(new URL('dev.jsonl', dataDir), jsonl(dev));
console.log(
  `wrote ${customers.length} customers, ${orders.length} orders, ${parcels.length} parcels; ${train.length} training and ${dev.length} dev tasks`,
);
