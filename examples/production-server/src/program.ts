import { Module, Predict, type Prediction } from '@dspy-ts/core';

/** The program the server runs: one step that names the intent of a bank customer's message. */
export class Triage extends Module<{ message: string }, Prediction<{ intent: string }>> {
  classify = new Predict('message: string -> intent: string', {
    instructions: "Classify a bank customer's message into one intent.",
  });

  override async forward({ message }: { message: string }) {
    return this.classify.forward({ message });
  }
}
