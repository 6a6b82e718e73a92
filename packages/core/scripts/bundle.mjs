// Bundles `@dspy-ts/core` into the JavaScript of its `dist`: one ES module per entry
// (`dist/index.js` for the web, `dist/node.js` for servers, `dist/internal.js`, `dist/offline.js`,
// `dist/ajv.js`, `dist/validator-runtime.js`; importing a few files is much faster
// than letting Node's loader go over each source module), the code the entries share in
// `dist/chunk-<hash>.js` (one copy of each module, so the entries share classes and settings),
// and `dist/sandbox-worker.js`, the ProgramOfThought sandbox thread, which the bundled
// `sandbox-host` finds next to itself (`new URL('./sandbox-worker.js', import.meta.url)`).
// `dist/offline.js` is only loaded by `new LM('offline')`'s dynamic import, never by `index.js`;
// ajv's chunk only by `loadSchemaCompiler()`'s (and at import by `node.js` and `ajv.js`).
// `tsc -p tsconfig.build.json` writes the declaration files into the same `dist` beforehand.
//
// Usage: node scripts/bundle.mjs [--outdir <dir>]   (default: the package's dist)
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const PACKAGE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(PACKAGE, 'src');

/**
 * Dependencies bundled in (with the packages they require), so that the published package has no
 * run-time dependency on them and lists them as devDependencies only:
 * - the small ones that importing core loads at once, since importing them from `node_modules`
 *   costs more than their code (resolution, and for `reflect-metadata` Node's CommonJS loader);
 * - ajv and ajv-formats, which validate the schemas that have no precompiled validator: one
 *   bundled chunk (loaded on first need, or at import by the server entry) imports faster than
 *   ajv's many CommonJS modules, and precompiled validators import ajv's small run-time helpers
 *   through `@dspy-ts/core/validator-runtime`;
 * - jsonrepair, which reading JSON out of completions uses;
 * - `@cfworker/json-schema` (validation where the runtime forbids ajv's code generation), small
 *   and pure.
 * Every other package stays an import of its own, loaded on first use (`openai`,
 * `quickjs-emscripten`, ...). `reflect-metadata` keeps its semantics bundled: it installs
 * `Reflect.metadata` & co. on import and keeps its metadata in a registry shared by every copy
 * (`Symbol.for('@reflect-metadata:registry')`).
 */
const BUNDLED = [
  'reflect-metadata',
  'p-limit',
  'yocto-queue',
  'ajv',
  'ajv-formats',
  'fast-deep-equal',
  'fast-uri',
  'json-schema-traverse',
  'require-from-string',
  'jsonrepair',
  '@cfworker/json-schema',
];

/** The package name of a bare import specifier (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Keeps every package import external except the ones in {@link BUNDLED}. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (BUNDLED.includes(packageName(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Rewrites `new URL('<relative>', import.meta.url)` in core's sources so that it names the same
 * file from the bundle as it did from the module's own place in a file-per-module `dist`
 * (`src/artifact/artifact.ts` reading `'../../package.json'` reads `'../package.json'` from
 * `dist/index.js`). Every entry is written at the top of the output directory.
 */
function importMetaUrls() {
  return {
    name: 'import-meta-urls',
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(SRC + sep)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
        const moduleDir = dirname(join('dist', relative(SRC, args.path)));
        const contents = text.replace(
          /new URL\((['"])(\.{1,2}\/[^'"]*)\1, import\.meta\.url\)/g,
          (_all, quote, rel) => {
            let moved = relative('dist', join(moduleDir, rel)).split(sep).join('/');
            if (!moved.startsWith('.')) moved = `./${moved}`;
            return `new URL(${quote}${moved}${quote}, import.meta.url)`;
          },
        );
        return { contents, loader: 'ts' };
      });
    },
  };
}

/** The licence texts of the packages bundled in (from their `LICENSE*` and notice files). */
async function licenceNotice(inputs) {
  const roots = new Map();
  for (const input of inputs) {
    const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input.split(sep).join('/'));
    if (match?.[1] && match[2]) roots.set(match[2], resolve(PACKAGE, match[1]));
  }
  const parts = [];
  for (const [name, root] of [...roots].sort(([a], [b]) => a.localeCompare(b))) {
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const files = (await readdir(root)).filter((f) => /^(licen[cs]e|notice|copyrightnotice)/i.test(f)).sort();
    const texts = await Promise.all(files.map((f) => readFile(join(root, f), 'utf8')));
    parts.push(`==== ${name}@${manifest.version} (${manifest.license}) ====\n\n${texts.join('\n').trim()}\n`);
  }
  return `Packages bundled into the JavaScript of this directory, with their licences.\n\n${parts.join('\n')}`;
}

/** Deletes `.js` and `.js.map` files under `dir` left by an earlier file-per-module build. */
async function removeStale(dir, keep) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && /\.js(\.map)?$/.test(entry.name) && !keep.has(path)) await rm(path);
  }
}

/**
 * Keeps the declaration files in `dir` free of the packages bundled in (they are not dependencies
 * of the published package, so a consumer's compiler would not find them): drops their side-effect
 * imports (`import 'reflect-metadata';`) and fails on any other reference to them.
 */
async function dropBundledFromDeclarations(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    const text = await readFile(path, 'utf8');
    let kept = text;
    for (const name of BUNDLED) kept = kept.replaceAll(`import '${name}';\n`, '');
    for (const name of BUNDLED) {
      if (new RegExp(`['"]${name}(/[^'"]*)?['"]`).test(kept)) {
        throw new Error(
          `bundle: ${relative(PACKAGE, path)} refers to ${name}, which the dist bundles; keep its types out of the public API`,
        );
      }
    }
    if (kept !== text) await writeFile(path, kept);
  }
}

/**
 * Writes the bundled JavaScript of `@dspy-ts/core` (with source maps) into `outDir` and returns
 * the path of its main entry module.
 */
export async function bundleCore(outDir = join(PACKAGE, 'dist')) {
  const result = await build({
    absWorkingDir: PACKAGE,
    entryPoints: {
      index: join(SRC, 'index.ts'),
      node: join(SRC, 'node.ts'),
      ajv: join(SRC, 'ajv.ts'),
      'validator-runtime': join(SRC, 'validator-runtime.ts'),
      internal: join(SRC, 'internal.ts'),
      offline: join(SRC, 'offline', 'index.ts'),
      'sandbox-worker': join(SRC, 'modules', 'pot', 'sandbox-worker.ts'),
    },
    outdir: outDir,
    bundle: true,
    // Shared modules go into chunks next to the entries (every output sits at the top of outDir).
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    tsconfig: join(PACKAGE, 'tsconfig.build.json'),
    sourcemap: true,
    // Whitespace only (names and syntax stay as written; the source maps lead back to src):
    // a smaller file is parsed faster on import (about 4 ms of CPU here). Lines stay short: Node
    // prints the line an uncaught error was thrown from, which must be a line and not the file.
    minifyWhitespace: true,
    lineLimit: 120,
    // Annotations and core's `"sideEffects"` list are honoured (the list names every module
    // imported for its effect alone, e.g. `import './method-runner.js'`), so that the chunks keep
    // the `/* @__PURE__ */` marks an app's bundler tree-shakes them by.
    ignoreAnnotations: false,
    logLevel: 'warning',
    metafile: true,
    plugins: [externals, importMetaUrls()],
  });
  const scripts = Object.keys(result.metafile.outputs).filter((p) => p.endsWith('.js'));
  const texts = await Promise.all(scripts.map((p) => readFile(resolve(PACKAGE, p), 'utf8')));
  if (!texts.some((t) => t.includes("'./sandbox-worker.js'") || t.includes('"./sandbox-worker.js"'))) {
    throw new Error('bundle: no bundled module names ./sandbox-worker.js any more; check sandbox-host.ts');
  }
  const inputs = Object.keys(result.metafile.inputs);
  await writeFile(join(outDir, 'THIRD-PARTY-LICENSES.txt'), await licenceNotice(inputs));
  const written = new Set(Object.keys(result.metafile.outputs).map((p) => resolve(PACKAGE, p)));
  await removeStale(outDir, written);
  await dropBundledFromDeclarations(outDir);
  return join(outDir, 'index.js');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--outdir');
  const outDir = at > 0 ? resolve(process.argv[at + 1] ?? '') : undefined;
  const entry = await bundleCore(outDir);
  process.stdout.write(`@dspy-ts/core bundled: ${relative(process.cwd(), entry)}\n`);
}
