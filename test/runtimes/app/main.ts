// Entry for Node, Bun and Deno: prints the typed prediction as one line.
import { rateReview } from './app.js';

declare const RUNTIME_TEST_BASE_URL: string;
declare const RUNTIME_TEST_ARTIFACT: string;

const prediction = await rateReview(RUNTIME_TEST_BASE_URL, RUNTIME_TEST_ARTIFACT);
console.log(`PREDICTION ${JSON.stringify(prediction)}`);
