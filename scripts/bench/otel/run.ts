/**
 * Benchmark of the OpenTelemetry instrumentation's cost on `Predict.forward` (one run, figures
 * printed). It measures the built package, as apps import it: `@dspy-ts/core`'s bundle is built
 * into a temp dir first. The LM answers at once, in-process, so the figures are the library's
 * own CPU per call, where the instrumentation weighs most.
 *  (a) OpenTelemetry disabled (no SDK registered, the default) ÷ no instrumentation (target
 *      <= 1.05). The baseline is the same bundle with `setTelemetryBypass(true)` (from
 *      `@dspy-ts/core/internal`), which makes every instrumentation helper a plain call of its
 *      function, as before the instrumentation existed. The two are measured in alternating
 *      blocks of calls in the same process, so both see the same host speed and compiled code;
 *      each figure is the median over the blocks of each block's median µs per call.
 *  (b) with an SDK registered (a tracer provider with a simple span processor and an in-memory
 *      exporter, a meter provider with an in-memory reader, the AsyncLocalStorage context
 *      manager): the µs each call adds to (a)'s disabled figure.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/otel/run.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LanguageModel, LMResponse } from '../../../packages/core/src/index.js';
import { recordTelemetry } from '../../../packages/core/test/telemetry/sdk.js';
import { renderChat } from '../../../packages/testing/src/index.js';
import { buildCore } from '../codegen/build-core.js';

type Core = typeof import('../../../packages/core/src/index.js');
type Internal = typeof import('../../../packages/core/src/internal.js');

/** Blocks of each mode, and calls per block. */
const BLOCKS = 21;
const CALLS = 2000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

/** An LM that returns the same completion at once, without any I/O. */
function instantLM(text: string): LanguageModel {
  const response: LMResponse = {
    text,
    choices: [text],
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
    model: 'instant',
    finishReason: 'stop',
    cacheHit: false,
  };
  return { model: 'instant', call: async () => response };
}

type Forward = () => Promise<unknown>;

/** Median µs per call of one block of `CALLS` calls. */
async function block(forward: Forward): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t0 = process.hrtime.bigint();
    await forward();
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return median(samples);
}

/** The two programs measured: a one-field and a five-field signature with four demos. */
function programs({ Predict }: Core): Record<'simple' | 'rich', Forward> {
  const simple = new Predict('question -> answer', { lm: instantLM(renderChat({ answer: 'Paris' })) });
  const richOutputs = {
    reasoning: 'The context names Paris as the capital.',
    answer: 'Paris',
    confidence: 0.92,
    citations: ['doc-1', 'doc-3'],
    needsFollowUp: false,
  };
  const rich = new Predict(
    'question: string, context: string[], audience: string, maxWords: integer -> reasoning: string, answer: string, confidence: number, citations: string[], needsFollowUp: boolean',
    { lm: instantLM(renderChat(richOutputs)) },
  );
  rich.demos = Array.from({ length: 4 }, (_, i) => ({
    question: `Example question ${i}?`,
    context: [`passage ${i} a`, `passage ${i} b`],
    audience: 'general',
    maxWords: 20,
    ...richOutputs,
  }));
  const richInputs = {
    question: 'What is the capital of France?',
    context: ['Paris is the capital of France.', 'Lyon is a large French city.', 'France is in Europe.'],
    audience: 'students',
    maxWords: 10,
  };
  return {
    simple: () => simple.forward({ question: 'What is the capital of France?' }),
    rich: () => rich.forward(richInputs),
  };
}

/** Alternating blocks of the baseline (bypass) and the disabled instrumentation. */
async function disabledRatio(internal: Internal, forward: Forward) {
  const base: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 2; i++) await block(forward);
  for (let b = 0; b < BLOCKS; b++) {
    // Alternate which goes first, so neither always follows the other.
    const order = b % 2 === 0 ? [true, false] : [false, true];
    for (const bypass of order) {
      internal.setTelemetryBypass(bypass);
      (bypass ? base : off).push(await block(forward));
    }
  }
  internal.setTelemetryBypass(false);
  return { base: median(base), off: median(off), ratio: median(off) / median(base) };
}

/** Median µs per call with an SDK recording every span and metric point. */
async function enabled(forward: Forward): Promise<{ on: number; spansPerCall: number }> {
  const otel = recordTelemetry();
  try {
    const on: number[] = [];
    for (let i = 0; i < 2; i++) await block(forward);
    const before = otel.spans().length;
    on.push(await block(forward));
    const spansPerCall = (otel.spans().length - before) / CALLS;
    for (let b = 1; b < BLOCKS; b++) on.push(await block(forward));
    return { on: median(on), spansPerCall };
  } finally {
    await otel.close();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'dspy-bench-otel-'));
try {
  const entry = await buildCore(dir);
  const core = (await import(pathToFileURL(entry).href)) as Core;
  const internal = (await import(pathToFileURL(join(dir, 'dist', 'internal.js')).href)) as Internal;
  core.configure({ logger: core.silentLogger });
  const progs = programs(core);
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(
    `OpenTelemetry overhead on Predict.forward (Node ${process.versions.node}, ${cpus().length} CPUs, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}); ${BLOCKS} alternating blocks of ${CALLS} calls per mode`,
  );
  for (const [name, forward] of Object.entries(progs)) {
    const d = await disabledRatio(internal, forward);
    const e = await enabled(forward);
    console.log(
      `  ${name.padEnd(6)} no instrumentation ${f(d.base)} µs, OpenTelemetry disabled ${f(d.off)} µs: ratio ${f(d.ratio, 3)} (target <= 1.05) ${d.ratio <= 1.05 ? 'ok' : 'OVER'}`,
    );
    console.log(
      `         SDK + in-memory exporter ${f(e.on)} µs: +${f(e.on - d.off)} µs per call (${e.spansPerCall} spans per call)`,
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
