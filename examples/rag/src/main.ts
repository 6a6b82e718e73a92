/**
 * Multi-hop RAG over SQuAD paragraphs: two query-writing hops, each retrieving from an
 * `Embeddings` index (offline: a TF-IDF hashing embedding), then `ChainOfThought` reads the answer from
 * the passages. Scored with token F1 on held-out questions, compiled with BootstrapRS.
 *
 * Run: `pnpm --filter @dspy-ts/example-rag start` (add `-- --bm25` to search with BM25).
 */
import { readFileSync } from 'node:fs';
import { configure, Example, evaluate, f1, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { BootstrapRS } from '@dspy-ts/optimize';
import { MultiHopRAG } from './rag.js';
import { buildRetriever } from './retriever.js';

interface Row {
  id: string;
  title: string;
  context: string;
  question: string;
  answers: string[];
}

const K = 2;
const TRAIN = 80;
const DEV = 200;

const rows = readFileSync(new URL('../data/squad-slice.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Row);
const corpus = [...new Set(rows.map((r) => r.context))];
const { retriever, label: searchLabel } = buildRetriever(
  process.argv.includes('--bm25') ? 'bm25' : 'embeddings',
  corpus,
  K,
);

// A training example becomes a demo, so its label is one answer; a held-out example keeps every
// accepted answer, and f1 takes the best match. The gold paragraph stays out of the inputs: the
// program finds its own context.
const example = (r: Row, answer: string | string[]) =>
  new Example({ question: r.question, answer, gold: r.context }).withInputs('question');
const trainRows = rows.slice(0, TRAIN);
const devRows = rows.slice(TRAIN, TRAIN + DEV);
const trainset = trainRows.map((r) => example(r, r.answers[0] ?? ''));
const devset = devRows.map((r) => example(r, r.answers));

const { lm, label } = exampleLM();
configure({ lm, logger: silentLogger });
console.log(`LM: ${label}`);
console.log(`retriever: ${searchLabel}, k ${K} per hop`);
console.log(
  `corpus: ${corpus.length} SQuAD paragraphs; ${trainset.length} training and ${devset.length} held-out questions`,
);

// Retrieval alone, on any model: is a question's own paragraph among the k found for it?
let direct = 0;
for (const r of devRows) if ((await retriever.search(r.question, K)).passages.includes(r.context)) direct++;
console.log(`retrieval: recall@${K} with the question as the query ${pct(direct, devRows.length)}`);

/** F1 of the answers, and the share of questions whose own paragraph reached the reader. */
async function score(program: MultiHopRAG) {
  const report = await evaluate(program, devset, f1, { progress: false });
  const found = report.results.filter((res) => {
    const context = res.prediction?.get('context');
    return Array.isArray(context) && context.includes(res.example.get('gold'));
  }).length;
  return { f1: report.score, recall: (100 * found) / devset.length, report };
}

const rag = new MultiHopRAG(retriever, K);
const zero = await score(rag);
console.log(
  `zero-shot: F1 ${zero.f1.toFixed(1)}, gold paragraph in the context (recall@${2 * K}, two hops) ${zero.recall.toFixed(1)}%`,
);

const optimizer = new BootstrapRS({
  metric: f1,
  metricThreshold: 0.5,
  maxBootstrappedDemos: 24,
  maxLabeledDemos: 48,
  numCandidatePrograms: 4,
  maxRounds: 3,
  seed: 15,
});
const { program, report } = await optimizer.compile(rag, { trainset });
console.log(
  `BootstrapRS: ${report.trials.length} candidates, best ${report.bestScore?.toFixed(1)} on the training questions`,
);
const compiled = await score(program);
console.log(
  `compiled: F1 ${compiled.f1.toFixed(1)}, gold paragraph in the context (recall@${2 * K}, two hops) ${compiled.recall.toFixed(1)}%`,
);
const question = devRows[0]?.question ?? '';
const pred = await program.forward({ question });
console.log(`Q: ${question}\nqueries: ${JSON.stringify(pred.get('queries'))}\nA: ${pred.get('answer')}`);
console.log(
  `zero-shot F1 ${zero.f1.toFixed(1)} → compiled F1 ${compiled.f1.toFixed(1)} (held-out); ` +
    `recall@${2 * K} ${zero.recall.toFixed(1)}% → ${compiled.recall.toFixed(1)}%`,
);

function pct(n: number, of: number): string {
  return `${n} of ${of} (${((100 * n) / of).toFixed(1)}%)`;
}
