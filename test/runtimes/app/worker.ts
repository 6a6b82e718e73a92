// Entry for workerd (a module worker) and the browser page: answers with the typed prediction.
import { rateReview } from './app.js';

declare const RUNTIME_TEST_BASE_URL: string;
declare const RUNTIME_TEST_ARTIFACT: string;

/** Runs the app once; the browser page calls it from `globalThis`. */
export async function predictOnce(): Promise<string> {
  return `PREDICTION ${JSON.stringify(await rateReview(RUNTIME_TEST_BASE_URL, RUNTIME_TEST_ARTIFACT))}`;
}

(globalThis as { predictOnce?: () => Promise<string> }).predictOnce = predictOnce;

export default {
  async fetch(): Promise<Response> {
    return new Response(await predictOnce());
  },
};
