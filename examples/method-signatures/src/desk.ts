import { Module, Signature } from '@dspy-ts/core';

/** What a customer wants (six of Banking77's intents). */
export type Intent =
  | 'card_arrival'
  | 'exchange_rate'
  | 'lost_or_stolen_card'
  | 'pin_blocked'
  | 'request_refund'
  | 'top_up_failed';

const NEXT_STEP: Record<Intent, string> = {
  card_arrival: 'Cards arrive within 5 working days; you can track yours in the app.',
  exchange_rate: 'Live exchange rates are under Accounts → Exchange.',
  lost_or_stolen_card: 'Your card is frozen now; order a replacement under Cards.',
  pin_blocked: 'Unblock your PIN at any cash machine with the card, or in the app.',
  request_refund: 'Refund requests go to the merchant first; we step in after 14 days.',
  top_up_failed: 'Top-ups can fail when the card issuer declines; try another card.',
};

/**
 * A support service. `classify` is a signature: calling it runs the LM and returns typed
 * outputs. `answer` is ordinary code that uses it like any other async method.
 */
export class SupportDesk extends Module {
  /**
   * Classify a bank customer's message into one intent.
   * @param message The customer's message, as they wrote it.
   */
  @Signature()
  async classify(message: string): Promise<{ intent: Intent }> {
    throw new Error(`replaced by @Signature(): ${message}`);
  }

  /** The program's entry point for evaluation and compiling: one message in, its intent out. */
  override async forward({ message }: { message: string }): Promise<{ intent: Intent }> {
    return this.classify(message);
  }

  /** Classifies a message and answers with the next step for its intent. */
  async answer(message: string): Promise<{ intent: Intent; reply: string }> {
    const { intent } = await this.classify(message);
    return { intent, reply: NEXT_STEP[intent] ?? 'A colleague will get back to you.' };
  }
}
