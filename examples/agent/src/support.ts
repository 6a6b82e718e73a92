import { InputField, OutputField, Signature } from '@dspy-ts/core';

/**
 * Answer a customer of an online store. Look up what the message asks about with the tools,
 * take the action the customer asks for when the store's policy allows it, and reply with the
 * facts found.
 */
@Signature()
export class SupportRequest {
  /** The customer's message, as they wrote it. */
  @InputField() message!: string;
  /**
   * The status the reply rests on, exactly as a tool gave it: the order's status, the parcel's
   * status, or `refunded` when a refund was opened.
   */
  @OutputField() outcome!: string;
  /** The reply to the customer, in one or two sentences. */
  @OutputField() reply!: string;
}
