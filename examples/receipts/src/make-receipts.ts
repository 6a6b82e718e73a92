/**
 * Writes the example's receipts, the same every run (seed 14): `data/images/rNN.png` (a receipt
 * printed with the 5×7 font of `font.ts` on slightly speckled thermal paper) and
 * `data/receipts.jsonl` (per receipt: the image file, what a user asked about it, the answer a
 * reader should give, and the split). Shops, items and prices are made up.
 *
 * Run: `pnpm --filter @dspy-ts/example-receipts make-receipts`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type RandomGenerator, unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.js';
import { greyPng } from './png.js';
import type { Currency } from './receipt.js';

const SEED = 14;
const COUNT = 30;
const TRAIN = 20;
const COLUMNS = 30;
const SCALE = 2;
const MARGIN = 14;

interface Shop {
  readonly name: string;
  readonly street: string;
  readonly currency: Currency;
  readonly items: readonly [string, number][];
}

const SHOPS: readonly Shop[] = [
  {
    name: 'Blue Heron Cafe',
    street: '12 Harbor St, Portland',
    currency: 'USD',
    items: [
      ['Flat white', 4.5],
      ['Croissant', 3.75],
      ['Oat latte', 5.25],
      ['Bagel', 2.95],
      ['Cold brew', 4.85],
    ],
  },
  {
    name: 'Northside Grocery',
    street: '880 Elm Ave, Madison',
    currency: 'USD',
    items: [
      ['Milk 1 gal', 3.89],
      ['Eggs 12', 4.29],
      ['Bananas', 1.74],
      ['Bread', 3.49],
      ['Coffee beans', 11.99],
      ['Apples 3 lb', 5.47],
    ],
  },
  {
    name: 'Pixel Hardware',
    street: '41 Mill Rd, Austin',
    currency: 'USD',
    items: [
      ['USB-C cable', 12.99],
      ['AA batteries 8', 9.49],
      ['Wood screws', 6.25],
      ['Tape measure', 14.5],
    ],
  },
  {
    name: 'Boulangerie Lumiere',
    street: '7 rue des Lilas, Lyon',
    currency: 'EUR',
    items: [
      ['Baguette', 1.2],
      ['Pain au chocolat', 1.5],
      ['Tarte citron', 4.8],
      ['Cafe creme', 2.9],
    ],
  },
  {
    name: 'Apotheke am Markt',
    street: 'Marktplatz 3, Freiburg',
    currency: 'EUR',
    items: [
      ['Ibuprofen 400', 5.95],
      ['Nasenspray', 4.49],
      ['Pflaster', 3.2],
      ['Vitamin C', 7.9],
    ],
  },
  {
    name: 'Mercado Verde',
    street: 'Calle Mayor 19, Sevilla',
    currency: 'EUR',
    items: [
      ['Tomates 1 kg', 2.35],
      ['Aceite oliva', 8.9],
      ['Queso', 6.4],
      ['Naranjas', 3.1],
    ],
  },
  {
    name: 'The Crown & Anchor',
    street: '5 Quay Lane, Bristol',
    currency: 'GBP',
    items: [
      ['Pint of ale', 5.2],
      ['Fish & chips', 14.5],
      ['Cider', 4.9],
      ['Crisps', 1.6],
    ],
  },
  {
    name: 'Camden Books',
    street: '221 High St, London',
    currency: 'GBP',
    items: [
      ['Paperback', 9.99],
      ['Notebook', 6.5],
      ['Bookmark', 2.0],
      ['Hardback', 18.99],
    ],
  },
  {
    name: 'Sakura Mart',
    street: '2-4-1 Shibuya, Tokyo',
    currency: 'JPY',
    items: [
      ['Onigiri', 160],
      ['Green tea', 140],
      ['Bento', 580],
      ['Melon pan', 180],
    ],
  },
  {
    name: 'Kyoto Ramen Tei',
    street: '88 Sanjo-dori, Kyoto',
    currency: 'JPY',
    items: [
      ['Shoyu ramen', 950],
      ['Gyoza', 450],
      ['Beer', 600],
      ['Rice', 200],
    ],
  },
];

const SYMBOL: Readonly<Record<Currency, string>> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥' };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const QUESTIONS = [
  'Read this receipt.',
  'How much did I pay?',
  'Which shop is this from?',
  'When was this bought?',
  'What currency is this in?',
];

/** One receipt as the dataset stores it. */
export interface ReceiptRow {
  readonly id: string;
  readonly image: string;
  readonly question: string;
  readonly merchant: string;
  readonly total: number;
  readonly date: string;
  readonly currency: Currency;
  readonly split: 'train' | 'dev';
}

const rng: { g: RandomGenerator } = { g: xoroshiro128plus(SEED) };
const int = (from: number, to: number) => unsafeUniformIntDistribution(from, to, rng.g);
const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)] as T;
const pad = (n: number) => String(n).padStart(2, '0');

function money(amount: number, currency: Currency): string {
  if (currency === 'JPY') return `${SYMBOL.JPY}${Math.round(amount).toLocaleString('en-US')}`;
  if (currency === 'EUR') return `${amount.toFixed(2).replace('.', ',')} ${SYMBOL.EUR}`;
  return `${SYMBOL[currency]}${amount.toFixed(2)}`;
}

/** The printed date, in the style of the shop's country (day above 12 where day and month could swap). */
function printedDate(y: number, m: number, d: number, currency: Currency): string {
  switch (currency) {
    case 'USD':
      return pick([`${pad(m)}/${pad(d)}/${y}`, `${MONTHS[m - 1]} ${d}, ${y}`]);
    case 'EUR':
      return pick([`${pad(d)}.${pad(m)}.${y}`, `${y}-${pad(m)}-${pad(d)}`]);
    case 'GBP':
      return pick([`${pad(d)}/${pad(m)}/${y}`, `${d} ${MONTHS[m - 1]} ${y}`]);
    case 'JPY':
      return `${y}/${pad(m)}/${pad(d)}`;
  }
}

const line = (left: string, right: string) =>
  `${left}${' '.repeat(Math.max(1, COLUMNS - left.length - right.length))}${right}`;
const centre = (text: string) => `${' '.repeat(Math.max(0, Math.floor((COLUMNS - text.length) / 2)))}${text}`;

function receiptLines(shop: Shop): { lines: string[]; total: number; date: string } {
  const y = 2026;
  const m = int(1, 11);
  const d = int(13, 28);
  const rounding = shop.currency === 'JPY' ? 1 : 100;
  const chosen = [...shop.items].sort(() => int(0, 2) - 1).slice(0, int(2, Math.min(4, shop.items.length)));
  const rows = chosen.map(([name, price]) => {
    const qty = int(1, 3);
    return {
      label: qty > 1 ? `${qty} x ${name}` : name,
      amount: Math.round(qty * price * rounding) / rounding,
    };
  });
  const subtotal = Math.round(rows.reduce((s, r) => s + r.amount, 0) * rounding) / rounding;
  const taxRate = { USD: 8, EUR: 0, GBP: 0, JPY: 10 }[shop.currency];
  const tax = Math.round((subtotal * taxRate * rounding) / 100) / rounding;
  const total = Math.round((subtotal + tax) * rounding) / rounding;
  const lines = [
    centre(shop.name.toUpperCase()),
    centre(shop.street.toUpperCase()),
    centre(`TEL ${int(200, 989)}-${int(1000, 9999)}`),
    '-'.repeat(COLUMNS),
    line(`DATE ${printedDate(y, m, d, shop.currency)}`, `${pad(int(7, 21))}:${pad(int(0, 59))}`),
    `RECEIPT #${int(10000, 99999)}`,
    '-'.repeat(COLUMNS),
    ...rows.map((r) => line(r.label.toUpperCase().slice(0, 18), money(r.amount, shop.currency))),
    '-'.repeat(COLUMNS),
    ...(taxRate > 0
      ? [line('SUBTOTAL', money(subtotal, shop.currency)), line(`TAX ${taxRate}%`, money(tax, shop.currency))]
      : [line('VAT INCLUDED', '')]),
    line('TOTAL', money(total, shop.currency)),
    '-'.repeat(COLUMNS),
    line(pick(['CARD ****', 'VISA ****', 'CASH']), pick(['', String(int(1000, 9999))])),
    '',
    centre(pick(['THANK YOU!', 'SEE YOU SOON', 'THANKS FOR VISITING'])),
  ];
  return { lines, total, date: `${y}-${pad(m)}-${pad(d)}` };
}

/** The receipt printed: dark ink of varying strength on off-white paper with a few specks. */
function render(lines: readonly string[]): Buffer {
  const cellW = (GLYPH_WIDTH + 1) * SCALE;
  const cellH = (GLYPH_HEIGHT + 3) * SCALE;
  const width = COLUMNS * cellW + 2 * MARGIN;
  const height = lines.length * cellH + 2 * MARGIN;
  const pixels = new Uint8Array(width * height).fill(246);
  for (let i = 0; i < 40; i++) pixels[int(0, pixels.length - 1)] = int(170, 220);
  lines.forEach((text, row) => {
    const ink = int(20, 70);
    [...text].forEach((char, col) => {
      glyph(char).forEach((cells, gy) => {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (cells[gx] !== '#') continue;
          for (let sy = 0; sy < SCALE; sy++)
            for (let sx = 0; sx < SCALE; sx++) {
              const x = MARGIN + col * cellW + gx * SCALE + sx;
              const y = MARGIN + row * cellH + gy * SCALE + sy;
              pixels[y * width + x] = ink;
            }
        }
      });
    });
  });
  return greyPng(width, height, pixels);
}

const root = new URL('../data/', import.meta.url);
mkdirSync(new URL('images/', root), { recursive: true });
const rows: ReceiptRow[] = [];
for (let i = 0; i < COUNT; i++) {
  const shop = SHOPS[i % SHOPS.length] as Shop;
  const { lines, total, date } = receiptLines(shop);
  const id = `r${pad(i + 1)}`;
  const image = `images/${id}.png`;
  writeFileSync(new URL(image, root), render(lines));
  rows.push({
    id,
    image,
    question: pick(QUESTIONS),
    merchant: shop.name,
    total,
    date,
    currency: shop.currency,
    split: i < TRAIN ? 'train' : 'dev',
  });
}
writeFileSync(new URL('receipts.jsonl', root), `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
console.log(`wrote ${rows.length} receipts (${TRAIN} train, ${COUNT - TRAIN} dev) to data/`);
