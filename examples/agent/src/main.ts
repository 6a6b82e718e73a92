/**
 * A customer-support agent: `ReAct` over the store's typed tools and the customer directory's MCP
 * server, scored on held-out customer messages, compiled with `BootstrapRS`, scored again, saved.
 *
 * Run: `pnpm --filter @dspy-ts/example-agent start` (it runs `dspy-ts build` first, which gives the
 * tools their argument schemas and the signature its fields).
 */
import './dspy.generated.js';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configure, evaluate, ReAct, silentLogger, toolsOf } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { connectMcp } from '@dspy-ts/mcp';
import { BootstrapRS } from '@dspy-ts/optimize';
import { taskSuccess } from './metric.js';
import { loadStore } from './store.js';
import { SupportRequest } from './support.js';
import { loadTasks } from './tasks.js';
import { SupportTools } from './tools.js';
import { byKind, printRun } from './trajectory.js';

const { lm, label } = exampleLM();
configure({ lm, logger: silentLogger });
console.log(`LM: ${label}`);

const trainset = loadTasks('train');
const devset = loadTasks('dev');
console.log(`data: ${trainset.length} training and ${devset.length} held-out customer messages (synthetic)`);

// The tools: the store's own typed methods, and the customer directory's MCP server (a child process).
const desk = new SupportTools(loadStore());
await using directory = await connectMcp({
  command: process.execPath,
  args: ['--import', 'tsx', fileURLToPath(new URL('./customers-server.ts', import.meta.url))],
});
const tools = [...toolsOf(desk), ...directory.tools];
console.log(`tools: ${tools.map((t) => t.name).join(', ')}`);

// 1. Zero-shot: the agent with no demos, on the held-out messages.
const agent = new ReAct(SupportRequest, { tools, maxIters: 6 });
const zeroShot = await evaluate(agent, devset, taskSuccess, { progress: false });
console.log(`zero-shot: ${zeroShot.score.toFixed(1)}% task success`);

// 2. Compile: successful runs on the training messages become demos (the tool calls of each turn,
//    and the outputs); random search keeps the demo set that scores best.
const optimizer = new BootstrapRS({
  metric: taskSuccess,
  maxBootstrappedDemos: 8,
  numCandidatePrograms: 4,
  seed: 0,
});
const { program, report } = await optimizer.compile(agent, { trainset });
console.log(
  `compiled: ${report.candidates.length} candidate programs tried, best ${(report.bestScore ?? 0).toFixed(1)}% on the training messages`,
);

// 3. The compiled agent on the same held-out messages.
const compiled = await evaluate(program, devset, taskSuccess, { progress: false });
const outDir = fileURLToPath(new URL('../out/', import.meta.url));
await mkdir(outDir, { recursive: true });
const artifactPath = `${outDir}support-agent.json`;
await program.save(artifactPath);
console.log(`artifact: ${artifactPath}`);

// 4. Task success by kind of message, and one held-out run of the compiled agent, step by step.
console.log(`by kind (zero-shot → compiled): ${byKind(zeroShot.results, compiled.results)}`);
const shown = devset.find((ex) => ex.kind === 'refund') ?? devset[0];
if (shown) printRun(shown.message, await program.forward({ message: shown.message }));

console.log(
  `zero-shot ${zeroShot.score.toFixed(1)}% → compiled ${compiled.score.toFixed(1)}% (held-out task success)`,
);
