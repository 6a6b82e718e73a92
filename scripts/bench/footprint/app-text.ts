// The smallest Predict + artifact app the footprint measures: the runtime tests' signature (from
// the build step's generated module), an artifact of text demos parsed from its text, an LM with
// its default options, one prediction. It never loads the code for media in artifacts.
import { LM, Predict, parseArtifact } from '@dspy-ts/core';
import '../../../test/runtimes/app/dspy.generated.js';
import { RateReview } from '../../../test/runtimes/app/review.js';

declare const RUNTIME_TEST_BASE_URL: string;
declare const RUNTIME_TEST_ARTIFACT: string;

const lm = new LM('footprint', { baseURL: RUNTIME_TEST_BASE_URL });
const program = await new Predict(RateReview, { lm }).load(
  parseArtifact(RUNTIME_TEST_ARTIFACT, 'review.artifact.json'),
);
const prediction = await program.forward({ review: 'Arrived quickly and works perfectly.' });
console.log(
  `PREDICTION ${JSON.stringify({ sentiment: prediction.sentiment, confidence: prediction.confidence })}`,
);
