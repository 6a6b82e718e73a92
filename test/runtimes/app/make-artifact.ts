// Prints the frozen artifact the runtime tests load: the app's predictor with two demos, as a
// compile step would save it.
import { Predict, toArtifact } from '@dspy-ts/core';
import './dspy.generated.js';
import { RateReview } from './review.js';

const predict = new Predict(RateReview, {
  demos: [
    { review: 'Broke after a day.', sentiment: 'negative', confidence: 0.95 },
    { review: 'Exactly what I needed.', sentiment: 'positive', confidence: 0.8 },
  ],
});
process.stdout.write(JSON.stringify(toArtifact(predict, { name: 'RateReview' })));
