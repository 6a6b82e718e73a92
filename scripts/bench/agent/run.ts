/**
 * Benchmark of agents (ReAct on tool calls), from source. Figures are ratios against a baseline
 * measured in the same run.
 *  (a) Parallel tools: a turn that calls two tools which each take 200 ms. The whole
 *      `ReAct.forward` (a scripted in-process model: the turn with both calls, a turn without a
 *      call, the extract step) ÷ 200 ms, median of 5 runs (target <= 1.2: the calls overlap),
 *      beside the same run with `maxParallelTools: 1` (the sequential sum, about 2).
 *  (b) dspy-ts's own CPU per agent turn: a 10-turn run (each turn one native tool call to an
 *      instant tool, then a turn without a call, then the extract step). dspy-ts's own work
 *      (ReAct, the adapter formatting every prompt with the growing trajectory and parsing every
 *      answer, `callLM`'s settings, usage and history) is measured with an in-process model that
 *      replays recorded responses (no SDK, no HTTP, no prompt parsing by a test double): process
 *      CPU ÷ turns, beside a single `Predict` call measured the same way. Then the same run over
 *      the OpenAI-protocol test server at zero latency (in a child process), through `LM` and the
 *      `openai` SDK: the client's CPU per turn, which adds the SDK and HTTP, beside a single
 *      `Predict` call over the same server.
 *
 * Run: node --conditions=@dspy-ts/source --import tsx scripts/bench/agent/run.ts
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  configure,
  type LanguageModel,
  LM,
  type LMRequest,
  type LMResponse,
  Predict,
  ReAct,
  silentLogger,
  tool,
} from '../../../packages/core/src/index.js';
import { renderChat, ScriptedLM } from '../../../packages/testing/src/index.js';
import { agentScript, TURNS } from './script.js';

configure({ logger: silentLogger });

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (since: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
};

/** A tool named `name` that answers after `ms`. */
function slowTool(name: string, ms: number) {
  return tool(
    async (city: string) => {
      await sleep(ms);
      return `${name} for ${city}`;
    },
    {
      name,
      desc: `The ${name} of a city.`,
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  );
}

const TOOL_MS = 200;

async function benchParallel() {
  const tools = [slowTool('weather', TOOL_MS), slowTool('news', TOOL_MS)];
  const lm = new ScriptedLM((req) => {
    if (req.tools === undefined) return { reasoning: 'Both tools answered.', answer: 'sunny, quiet' };
    if (req.messages.some((m) => m.role === 'tool')) return { nextThought: 'I have both.' };
    const args = { city: 'Paris' };
    return {
      toolCalls: [
        { name: 'weather', arguments: args },
        { name: 'news', arguments: args },
      ],
    };
  });
  const time = async (maxParallelTools: number) => {
    const agent = new ReAct('question -> answer', { tools, lm, maxParallelTools });
    const walls: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const pred = await agent.forward({ question: `Weather and news in Paris? (${i})` });
      const wall = performance.now() - t0;
      const calls = pred.trajectory.messages[0]?.results.filter((r) => r.ok).length;
      if (calls !== 2) throw new Error(`expected two successful calls in the first turn, got ${calls}`);
      if (i > 0) walls.push(wall);
    }
    return median(walls);
  };
  return { parallel: await time(4), sequential: await time(1) };
}

/** Records the responses of `inner`, in call order. */
function recording(inner: LanguageModel): LanguageModel & { responses: LMResponse[] } {
  const responses: LMResponse[] = [];
  return {
    model: 'recording',
    supportsToolCalls: true,
    responses,
    call: async (req: LMRequest) => {
      const res = await inner.call(req);
      responses.push(res);
      return res;
    },
  };
}

/** Answers call i with the recorded response i (cycling): no SDK, no HTTP, no prompt parsing. */
function replaying(responses: readonly LMResponse[]): LanguageModel & { calls: number } {
  const lm = {
    model: 'replay',
    supportsToolCalls: true,
    calls: 0,
    call: async (_req: LMRequest) => responses[lm.calls++ % responses.length] as LMResponse,
  };
  return lm;
}

const lookup = tool((key: string) => ({ key, value: `value of ${key}` }), {
  name: 'lookup',
  desc: 'Looks a key up.',
  parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
});
const QUESTION = 'What do the ten keys hold?';

/** CPU per turn of `runs` agent runs after `warmup` (one run = TURNS tool turns, the last turn, the extract step). */
async function agentCpu(agent: ReAct, runs: number, warmup: number) {
  const check = async () => {
    const pred = await agent.forward({ question: QUESTION });
    const answer = pred.get('answer');
    if (pred.trajectory.messages.length !== TURNS + 1 || answer !== 'value 9')
      throw new Error(
        `the agent run went wrong: ${pred.trajectory.messages.length} steps, '${String(answer)}'`,
      );
  };
  for (let i = 0; i < warmup; i++) await check();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await agent.forward({ question: `${QUESTION} (${i})` });
  const wall = performance.now() - t0;
  return { cpuPerTurn: cpuMs(cpu0) / (runs * TURNS), wallPerRun: wall / runs };
}

/** CPU per call of `calls` Predict calls after `warmup` (each question different, as the agent runs' are). */
async function predictCpu(predict: Predict, calls: number, warmup: number) {
  for (let i = 0; i < warmup; i++) await predict.forward({ question: `${QUESTION} (warm-up ${i})` });
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) await predict.forward({ question: `${QUESTION} (${i})` });
  return cpuMs(cpu0) / calls;
}

async function benchInProcess() {
  const recorder = recording(agentScript());
  await new ReAct('question -> answer', { tools: [lookup], lm: recorder }).forward({ question: QUESTION });
  const replay = replaying(recorder.responses);
  const agent = new ReAct('question -> answer', { tools: [lookup], lm: replay });
  const run = await agentCpu(agent, 400, 100);
  const text = renderChat({ answer: 'value 9' });
  const instant = replaying([
    {
      text,
      choices: [text],
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      model: 'instant',
      finishReason: 'stop',
      cacheHit: false,
    },
  ]);
  const predict = await predictCpu(new Predict('question -> answer', { lm: instant }), 20_000, 2_000);
  return { ...run, predict };
}

/** Starts the test server in a child process (so it does not share this process's CPU). */
async function startServerProcess(): Promise<{ url: string; close(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@dspy-ts/source',
      '--import',
      'tsx',
      fileURLToPath(new URL('./server-child.ts', import.meta.url)),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`test server exited with ${code}`)));
  });
  return { url, close: () => child.stdin.end() };
}

async function benchOverServer() {
  const server = await startServerProcess();
  try {
    const lm = new LM('openai/bench-agent', { baseURL: server.url, apiKey: 'bench', cache: false });
    const agent = new ReAct('question -> answer', { tools: [lookup], lm });
    const run = await agentCpu(agent, 60, 20);
    const predict = await predictCpu(new Predict('question -> answer', { lm }), 600, 200);
    return { ...run, predict };
  } finally {
    server.close();
  }
}

console.log(
  `host: ${cpus().length} CPUs, load average ${loadavg()[0]?.toFixed(1)} (1 min), Node ${process.version}`,
);
const a = await benchParallel();
console.log('(a) one turn calling two tools of 200 ms each (whole ReAct.forward, median of 5)');
console.log(
  `    maxParallelTools 4 (default): ${a.parallel.toFixed(1)} ms = ${(a.parallel / TOOL_MS).toFixed(3)} x 200 ms (target <= 1.2)`,
);
console.log(
  `    maxParallelTools 1 (sequential): ${a.sequential.toFixed(1)} ms = ${(a.sequential / TOOL_MS).toFixed(3)} x 200 ms`,
);
const b = await benchInProcess();
console.log(
  `(b) ${TURNS}-turn agent run, in-process model replaying recorded responses (dspy-ts's own work)`,
);
console.log(
  `    CPU per turn: ${(b.cpuPerTurn * 1000).toFixed(0)} µs; wall per run ${b.wallPerRun.toFixed(2)} ms`,
);
console.log(`    a single Predict call ('question -> answer'): ${(b.predict * 1000).toFixed(0)} µs CPU`);
console.log(`    per turn ÷ single Predict: ${(b.cpuPerTurn / b.predict).toFixed(2)}`);
const c = await benchOverServer();
console.log(
  `(b) the same run over the test server at zero latency (client CPU: adds the openai SDK and HTTP)`,
);
console.log(
  `    CPU per turn: ${(c.cpuPerTurn * 1000).toFixed(0)} µs; wall per run ${c.wallPerRun.toFixed(1)} ms`,
);
console.log(`    a single Predict call over the same server: ${(c.predict * 1000).toFixed(0)} µs CPU`);
console.log(`    per turn ÷ single Predict: ${(c.cpuPerTurn / c.predict).toFixed(2)}`);
