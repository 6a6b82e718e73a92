// Runs in a fresh process: imports the module given as argument (the `@dspy-ts/core` entry) and
// prints, as one JSON line, the time and memory the import took and the npm packages it loaded,
// with those of them that importing core must not load (they load on first use, or never at run
// time). CommonJS packages are seen through the require cache; ESM packages only with
// `--packages`, which installs a resolve hook (a hooks thread that slows the import down, so
// time the import without it).
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const HEAVY = ['ts-morph', '@ts-morph/common', 'typescript', 'quickjs-emscripten', 'ajv', 'ajv-formats'];

const entry = process.argv[2];
if (!entry) throw new Error('usage: child-import.mjs <path of the @dspy-ts/core entry> [--packages]');
const urls = new Set();
if (process.argv.includes('--packages')) {
  const { port1, port2 } = new MessageChannel();
  port1.on('message', (url) => urls.add(url));
  port1.unref();
  register(new URL('./record-hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });
}

const before = process.memoryUsage();
const cpuBefore = process.cpuUsage();
const started = performance.now();
await import(pathToFileURL(entry).href);
const importMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const after = process.memoryUsage();
// Messages from the hooks thread arrive asynchronously: let them drain.
await new Promise((done) => setTimeout(done, 100));

const paths = [...urls, ...Object.keys(createRequire(import.meta.url).cache)];
const found = new Set();
for (const path of paths) {
  const match =
    /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(
      path.replaceAll('%40', '@'),
    );
  if (match?.[1]) found.add(match[1].replace('\\', '/'));
}
const packages = [...found].sort();
process.stdout.write(
  `${JSON.stringify({
    importMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMb: (after.rss - before.rss) / 2 ** 20,
    heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20,
    packages,
    heavy: packages.filter((p) => HEAVY.includes(p)),
  })}\n`,
);
