/**
 * The app: loads the frozen artifact once at start-up, then uses the desk's methods as ordinary
 * typed async methods. No optimizer and no build tooling at run time.
 *
 * Run: `pnpm --filter @dspy-ts/example-method-signatures start`
 */
import './dspy.generated.js';
import { configure, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { SupportDesk } from './desk.js';

const { lm, label } = exampleLM();
configure({ lm, logger: silentLogger });

const desk = await SupportDesk.load(new URL('../artifacts/support-desk.json', import.meta.url).pathname);
console.log(`LM: ${label}; loaded artifacts/support-desk.json (${desk.namedPredictors().length} predictor)`);

const inbox = [
  'I ordered a card last week and it is still not here.',
  'Someone took my wallet with my card in it.',
  'My PIN is locked after three wrong tries.',
  'The top up did not go through, why?',
];
for (const message of inbox) {
  const { intent, reply } = await desk.answer(message); // intent: Intent
  console.log(`${message}\n  -> ${intent}: ${reply}`);
}
