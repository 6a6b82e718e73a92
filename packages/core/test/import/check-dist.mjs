// Run in a fresh process against a built `@dspy-ts/core` entry (`node check-dist.mjs <entry>`):
// uses what depends on the bundle's layout (the sandbox worker found next to it, the package's
// version read from its package.json, reflect-metadata installed on import, a ProgramOfThought
// call through the worker, a run stopped at its time limit, the internal entry next to it, and
// `new LM('offline')` loading the offline entry) and prints the results as one JSON line.
import { pathToFileURL } from 'node:url';

const entry = process.argv[2];
if (!entry) throw new Error('usage: check-dist.mjs <path of the @dspy-ts/core entry>');
const core = await import(pathToFileURL(entry).href);
const internal = await import(new URL('./internal.js', pathToFileURL(entry)).href);

const reflect = typeof Reflect.getMetadata === 'function' && typeof Reflect.metadata === 'function';
const sandbox = await core.runSandboxed('console.log("n is", inputs.n); inputs.n * 2', {
  globals: { inputs: { n: 21 } },
});

const overrun = await core.runSandboxed('while (true) {}', { timeoutMs: 100 }).then(
  () => 'no error',
  (e) => `${e.code}/${e.details?.kind}`,
);

const replies = [
  '[[ ## reasoning ## ]]\nDouble n.\n\n[[ ## code ## ]]\nconsole.log("n =", inputs.n);\ninputs.n * 2\n\n[[ ## completed ## ]]',
  '[[ ## reasoning ## ]]\nThe code gave 42.\n\n[[ ## answer ## ]]\n42\n\n[[ ## completed ## ]]',
];
let calls = 0;
const lm = {
  model: 'scripted',
  async call() {
    const text = replies[calls++] ?? '';
    const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
    return { text, choices: [text], usage, model: 'scripted', finishReason: 'stop', cacheHit: false };
  },
};
const pot = new core.ProgramOfThought('n: number -> answer: number', { lm });
const pred = await pot.forward({ n: 21 });

const capitals = new core.Predict('question: string -> answer: string', { lm: new core.LM('offline') });
capitals.demos = [{ question: 'What is the capital of France?', answer: 'Paris' }];
const offline = (await capitals.forward({ question: 'The capital of France?' })).answer;

process.stdout.write(
  `${JSON.stringify({
    reflect,
    version: internal.coreVersionString(),
    // One copy of each module: the internal entry's ExampleBase is the main entry's Example.
    oneCopy: internal.ExampleBase === core.Example,
    offline,
    sandbox,
    overrun,
    pot: { answer: pred.answer, code: pred.code, codeOutput: pred.codeOutput, calls },
  })}\n`,
);
