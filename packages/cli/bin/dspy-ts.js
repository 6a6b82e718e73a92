#!/usr/bin/env node
// Runs the compiled CLI when it has been built, otherwise the TypeScript sources through tsx
// (with the `@dspy-ts/source` condition, so workspace packages resolve to their sources too).
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dist = fileURLToPath(new URL('../dist/main.js', import.meta.url));
if (existsSync(dist)) {
  await import(pathToFileURL(dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  registerHooks(new URL('./source-conditions.mjs', import.meta.url).href);
  // Tells the CLI that TypeScript modules (the user's programs) are importable already.
  globalThis[Symbol.for('dspy-ts.cli.tsLoader')] = true;
  await import(new URL('../src/main.ts', import.meta.url).href);
}
