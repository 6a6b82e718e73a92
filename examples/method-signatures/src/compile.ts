/**
 * Regenerates `artifacts/support-desk.json`: compiles the desk's `classify` method with
 * BootstrapRS on a Banking77 subset and freezes it.
 *
 * Run: `pnpm --filter @dspy-ts/example-method-signatures run compile`
 */
import './dspy.generated.js';
import { readFileSync } from 'node:fs';
import { configure, Example, exactMatchOn, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { BootstrapRS } from '@dspy-ts/optimize';
import { SupportDesk } from './desk.js';

configure({ lm: exampleLM().lm, logger: silentLogger });

const rows = readFileSync(new URL('../data/train.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { text: string; label: string });
// The method's input is `message` and its output `intent`.
const examples = rows.map((r) => new Example({ message: r.text, intent: r.label }).withInputs('message'));

const { program, report } = await new BootstrapRS({
  metric: exactMatchOn('intent'),
  numCandidatePrograms: 4,
}).compile(new SupportDesk(), { trainset: examples.slice(0, 32), valset: examples.slice(32) });
await program.save(new URL('../artifacts/support-desk.json', import.meta.url).pathname);
console.log(
  `compiled: baseline ${report.baselineScore?.toFixed(1)}% → best ${report.bestScore?.toFixed(1)}%`,
);
