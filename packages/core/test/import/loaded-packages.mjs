// Runs in a fresh process: imports the module given as argument and prints, as one JSON line,
// the time the import took and the npm packages it loaded (ESM through a resolve hook, CommonJS
// through the require cache).
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const entry = process.argv[2];
if (!entry) throw new Error('usage: loaded-packages.mjs <path of the module to import>');
const { port1, port2 } = new MessageChannel();
const urls = new Set();
port1.on('message', (url) => urls.add(url));
port1.unref();
register(new URL('./record-hooks.mjs', import.meta.url), { data: { port: port2 }, transferList: [port2] });

const started = performance.now();
await import(pathToFileURL(entry).href);
const importMs = performance.now() - started;
// Messages from the hooks thread arrive asynchronously: let them drain.
await new Promise((done) => setTimeout(done, 100));

const paths = [...urls, ...Object.keys(createRequire(import.meta.url).cache)];
const packages = new Set();
for (const path of paths) {
  const match =
    /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(
      path.replaceAll('%40', '@'),
    );
  if (match?.[1]) packages.add(match[1].replace('\\', '/'));
}
process.stdout.write(`${JSON.stringify({ importMs, packages: [...packages].sort() })}\n`);
