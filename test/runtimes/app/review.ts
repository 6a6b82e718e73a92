import { InputField, OutputField, Signature } from '@dspy-ts/core';

/** Rate the sentiment of a product review. */
@Signature()
export class RateReview {
  /** The review, as the customer wrote it. */
  @InputField() review!: string;
  @OutputField() sentiment!: 'positive' | 'negative';
  /** How sure the rating is, from 0 to 1. */
  @OutputField() confidence!: number;
}
