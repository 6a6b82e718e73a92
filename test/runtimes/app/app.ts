// The app every runtime test runs: a generated-signature Predict, loaded from a frozen
// artifact's text, answering over an OpenAI-protocol endpoint. Only web-standard APIs.
import { LM, loadArtifactMedia, Predict, parseArtifact } from '@dspy-ts/core';
import './dspy.generated.js';
import { RateReview } from './review.js';

/** Loads the artifact from `artifactText`, asks `baseURL` for one prediction and returns it typed. */
export async function rateReview(
  baseURL: string,
  artifactText: string,
): Promise<{ sentiment: 'positive' | 'negative'; confidence: number }> {
  const lm = new LM('runtime-test', { baseURL, cache: false, numRetries: 0 });
  // The artifact's demos hold an image: the code that verifies media loads first (web entry).
  await loadArtifactMedia();
  const program = await new Predict(RateReview, { lm }).load(
    parseArtifact(artifactText, 'review.artifact.json'),
  );
  const prediction = await program.forward({ review: 'Arrived quickly and works perfectly.' });
  const sentiment: 'positive' | 'negative' = prediction.sentiment;
  const confidence: number = prediction.confidence;
  return { sentiment, confidence };
}
