import { type Image, InputField, OutputField, Signature } from '@dspy-ts/core';

/** The currencies the receipts of this example are in. */
export type Currency = 'USD' | 'EUR' | 'GBP' | 'JPY';

/** Read a shop receipt: who was paid, how much, when and in which currency. */
@Signature()
export class ReadReceipt {
  /** A photo or scan of the receipt. */
  @InputField() receipt!: Image;
  /** What the user asked about the receipt, if anything; every output is filled either way. */
  @InputField() question?: string;

  /** The shop's name as printed at the top of the receipt. */
  @OutputField() merchant!: string;
  /** The amount paid, tax included, in the receipt's currency. */
  @OutputField() total!: number;
  /** The date of purchase as YYYY-MM-DD. */
  @OutputField() date!: string;
  @OutputField() currency!: Currency;
}
