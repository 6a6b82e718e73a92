// Prints the frozen artifact the runtime tests load: the app's predictor with two demos, as a
// compile step would save it. The first demo also keeps the photo the review came with, stored
// inline as `save` stores an image (under a key the signature does not read): every runtime then
// checks its SHA-256 and rebuilds the image when it loads the artifact.
import { createHash } from 'node:crypto';
import { type Artifact, Predict, toArtifact } from '@dspy-ts/core';
import './dspy.generated.js';
import { RateReview } from './review.js';

const predict = new Predict(RateReview, {
  demos: [
    { review: 'Broke after a day.', sentiment: 'negative', confidence: 0.95 },
    { review: 'Exactly what I needed.', sentiment: 'positive', confidence: 0.8 },
  ],
});
const artifact = toArtifact(predict, { name: 'RateReview' });
// A 1×1 grey PNG.
const photo = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==',
  'base64',
);
const [first, ...rest] = artifact.predictors.self?.demos ?? [];
const withPhoto: Artifact = {
  ...artifact,
  formatVersion: 2,
  predictors: {
    self: {
      ...(artifact.predictors.self as NonNullable<Artifact['predictors']['self']>),
      demos: [
        {
          ...first,
          photo: {
            $media: 'image',
            mimeType: 'image/png',
            sha256: createHash('sha256').update(photo).digest('hex'),
            byteLength: photo.length,
            data: photo.toString('base64'),
          },
        },
        ...rest,
      ],
    },
  },
};
process.stdout.write(JSON.stringify(withPhoto));
