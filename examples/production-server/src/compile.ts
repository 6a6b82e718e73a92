/**
 * Regenerates `artifacts/triage.json`: compiles {@link Triage} with LabeledFewShot on a few
 * labelled messages and freezes it. The server only loads the file.
 *
 * Run: `pnpm --filter @dspy-ts/example-production-server run compile`
 */
import { configure, Example, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { LabeledFewShot } from '@dspy-ts/optimize';
import { Triage } from './program.js';

configure({ lm: exampleLM().lm, logger: silentLogger });

const rows: [string, string][] = [
  ['I have not received my card and it has been a week.', 'card_arrival'],
  ['My card still has not arrived, what should I do?', 'card_arrival'],
  ['Someone stole my wallet with my card in it.', 'lost_or_stolen_card'],
  ['I lost my card on the train yesterday.', 'lost_or_stolen_card'],
  ['My PIN is blocked after three wrong tries.', 'pin_blocked'],
  ['Where do I go to unblock my PIN?', 'pin_blocked'],
  ['My top-up was rejected.', 'top_up_failed'],
  ['The top up did not go through, why?', 'top_up_failed'],
  ['Can I get a refund for something I bought?', 'request_refund'],
  ['What exchange rate do you use?', 'exchange_rate'],
];
const trainset = rows.map(([message, intent]) => new Example({ message, intent }).withInputs('message'));
const { program } = await new LabeledFewShot({ k: rows.length }).compile(new Triage(), { trainset });
const path = new URL('../artifacts/triage.json', import.meta.url).pathname;
await program.save(path);
console.log(`saved ${path}`);
