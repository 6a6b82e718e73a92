import { InputField, OutputField, Signature } from '@dspy-ts/core';

/** The intents this example tells apart (a handful of Banking77's 77). */
export type Intent =
  | 'card_arrival'
  | 'exchange_rate'
  | 'lost_or_stolen_card'
  | 'pin_blocked'
  | 'request_refund'
  | 'top_up_failed';

/** Classify a bank customer's message into one intent. */
@Signature()
export class ClassifyIntent {
  /** The customer's message, as they wrote it. */
  @InputField() text!: string;
  @OutputField() label!: Intent;
}
