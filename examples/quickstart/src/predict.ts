/**
 * Runs in a fresh process: loads the frozen artifact (no optimizer, no build tooling), scores it
 * on the held-out messages and classifies one new message. Prints one JSON line on stdout.
 *
 * Usage: node --conditions=@dspy-ts/source --import tsx src/predict.ts <artifact.json>
 */
import './dspy.generated.js';
import { configure, evaluate, exactMatchOn, Predict, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { loadSplit } from './data.js';
import { ClassifyIntent } from './intent.js';

const artifactPath = process.argv[2];
if (!artifactPath) {
  console.error('usage: predict.ts <artifact.json>');
  process.exit(2);
}

configure({ lm: exampleLM().lm, logger: silentLogger });

const classify = new Predict(ClassifyIntent);
await classify.load(artifactPath);

const { score } = await evaluate(classify, loadSplit('dev'), exactMatchOn('label'), { progress: false });
const message = 'I still have not received my new card, when will it come?';
const { label } = await classify.forward({ text: message });

process.stdout.write(`${JSON.stringify({ score, demos: classify.demos.length, message, label })}\n`);
