import { build } from 'esbuild';
import { join } from 'node:path';
const ROOT = process.cwd() + '/';
const APP = process.argv[2] === 'string' ? `import { LM, Predict, loadArtifact } from '@dspy-ts/core';
export async function answer(artifact, baseURL, question) {
  const qa = await new Predict('question: string -> answer: string', { lm: new LM('m', { baseURL }) }).load(await loadArtifact(artifact));
  return (await qa.forward({ question })).answer;
}` : `export { rateReview } from './test/runtimes/app/app.ts';`;
const r = await build({
  stdin: { contents: APP, resolveDir: ROOT, loader: 'ts' }, bundle: true, minify: true, platform: 'browser', format: 'esm',
  write: false, metafile: true, splitting: true, outdir: '/tmp/fp-out-' + process.pid, conditions: ['@dspy-ts/source'], external: ['openai'],
  tsconfig: join(ROOT, 'test/runtimes/app/tsconfig.json'), logLevel: 'error',
});
const outputs = r.metafile.outputs;
const entry = Object.keys(outputs).find((f) => outputs[f]?.entryPoint === '<stdin>')!;
const startup = new Set<string>(); const stack = [entry];
while (stack.length) { const f = stack.pop()!; if (startup.has(f)) continue; startup.add(f);
  for (const imp of outputs[f]?.imports ?? []) if (imp.kind === 'import-statement' && outputs[imp.path]) stack.push(imp.path); }
const ins: Record<string, number> = {};
let tot = 0;
for (const f of startup) { tot += outputs[f].bytes; for (const [k, v] of Object.entries(outputs[f].inputs)) ins[k] = (ins[k] ?? 0) + v.bytesInOutput; }
console.log('startup', tot);
const dirs: Record<string, number> = {};
for (const [k, v] of Object.entries(ins)) { const d = k.replace(/^packages\/core\/src\//, '').replace(/\/[^/]*$/, ''); dirs[d] = (dirs[d] ?? 0) + v; }
console.log(Object.entries(dirs).sort((a,b)=>b[1]-a[1]).map(([k,v])=>`${(v/1000).toFixed(1)}\t${k}`).join('\n'));
console.log('---');
console.log(Object.entries(ins).sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[3] ?? 80)).map(([k,v])=>`${(v/1000).toFixed(1)}\t${k}`).join('\n'));
