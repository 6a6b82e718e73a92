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
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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
    // Side-effect imports of a bundled package or one of its subpaths (`import 'reflect-metadata/lite';`).
    kept = kept.replace(/^import '([^']+)';\n/gm, (line, specifier) =>
      BUNDLED.includes(packageName(specifier)) ? '' : line,
    );
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
    // The maps name the files of `src`, which the package ships: their text is not repeated.
    sourcesContent: false,
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

/** Every module of `src` that ships (TypeScript, and the generated JavaScript; tests excluded), as paths. */
async function sourceModules() {
  const files = [];
  for (const entry of await readdir(SRC, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && /\.(ts|js)$/.test(entry.name) && !/\.(test|test-d|d)\.ts$/.test(entry.name))
      files.push(path);
  }
  return files.sort();
}

/** The file name (without `.js`) of a bundled package's module in `dist/web/vendor/`. */
function vendorId(specifier) {
  return specifier
    .replace(/^@/, '')
    .replace(/\.[cm]?js$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-');
}

/**
 * What core's modules import from each package in {@link BUNDLED}: the names, whether the default
 * export or the namespace is taken, or whether the import is for its effect alone. Core's sources
 * are formatted, one import declaration per statement; type-only imports are skipped.
 */
async function vendoredImports(files) {
  const found = new Map();
  const entry = (specifier) => {
    if (!found.has(specifier)) found.set(specifier, { names: new Set(), default: false, effect: false });
    return found.get(specifier);
  };
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(type\s+)?([^'";]*?)\s*from\s*'([^']+)';/gms)) {
      const [, typeOnly, clause, specifier] = m;
      if (typeOnly || !BUNDLED.includes(packageName(specifier))) continue;
      const e = entry(specifier);
      const named = /\{([^}]*)\}/.exec(clause);
      for (const part of named?.[1].split(',') ?? []) {
        const name = part.trim().split(/\s+as\s+/)[0];
        if (name && !name.startsWith('type ')) e.names.add(name);
      }
      const head = clause
        .replace(/\{[^}]*\}/, '')
        .replace(/,\s*$/, '')
        .trim();
      if (head.startsWith('* as')) e.default = e.namespace = true;
      else if (head) e.default = true;
    }
    for (const m of text.matchAll(/^import\s+'([^']+)';/gm)) {
      if (BUNDLED.includes(packageName(m[1]))) entry(m[1]).effect = true;
    }
    if (/import\(\s*'([^.'][^']*)'\s*\)/.test(text)) {
      for (const m of text.matchAll(/import\(\s*'([^.'][^']*)'\s*\)/g)) {
        if (BUNDLED.includes(packageName(m[1]))) entry(m[1]).default = entry(m[1]).namespace = true;
      }
    }
  }
  return found;
}

/**
 * Writes core's web build into `webDir`: one ES module per source module (`dist/web/<path>.js`),
 * for the `browser`, `workerd`, `worker` and `default` export conditions. An app's bundler sees
 * core's modules one by one, as it sees them from the sources, and drops every module the app
 * does not reach (core's `"sideEffects"` list names the few kept for their effect): a bundle made
 * from the published package is as small as one made from the sources. The packages core bundles
 * ({@link BUNDLED}) are built once into `dist/web/vendor/`, split so that shared code is one copy,
 * each module exporting exactly what core's modules import from it. Returns the web entry's path.
 */
export async function bundleWeb(outDir = join(PACKAGE, 'dist')) {
  const webDir = join(outDir, 'web');
  await rm(webDir, { recursive: true, force: true });
  const files = (await sourceModules()).filter((f) => f !== join(SRC, 'node.ts'));
  const outFile = (src) => join(webDir, relative(SRC, src)).replace(/\.ts$/, '.js');
  const toImport = (from, to) => {
    const rel = relative(dirname(from), to).split(sep).join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  };
  const vendored = await vendoredImports(files);
  const modules = await build({
    absWorkingDir: PACKAGE,
    entryPoints: files,
    outbase: SRC,
    outdir: webDir,
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    target: 'es2022',
    tsconfig: join(PACKAGE, 'tsconfig.build.json'),
    sourcemap: true,
    // The maps name the files of `src`, which the package ships: their text is not repeated.
    sourcesContent: false,
    ignoreAnnotations: false,
    logLevel: 'warning',
    metafile: true,
    plugins: [
      {
        name: 'one-module-each',
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            if (args.path.startsWith('.') || args.path.startsWith('node:'))
              return { path: args.path, external: true };
            if (!BUNDLED.includes(packageName(args.path))) return { path: args.path, external: true };
            const target = join(webDir, 'vendor', `${vendorId(args.path)}.js`);
            return { path: toImport(outFile(args.importer), target), external: true };
          });
          // `new URL('<relative>', import.meta.url)` naming a file outside `src` (the package's
          // package.json) gains the levels `dist/web/` adds; files inside `src` keep their place.
          b.onLoad({ filter: /\.ts$/ }, async (args) => {
            const text = await readFile(args.path, 'utf8');
            if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
            const contents = text.replace(
              /new URL\((['"])(\.{1,2}\/[^'"]*)\1, import\.meta\.url\)/g,
              (all, quote, rel) => {
                const target = resolve(dirname(args.path), rel);
                if (target.startsWith(SRC + sep)) return all;
                return `new URL(${quote}${toImport(outFile(args.path), target)}${quote}, import.meta.url)`;
              },
            );
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  const entriesDir = join(PACKAGE, 'node_modules', '.dspy-ts-vendor-entries');
  await rm(entriesDir, { recursive: true, force: true });
  await mkdir(entriesDir, { recursive: true });
  const vendorEntries = {};
  for (const [specifier, use] of vendored) {
    const lines = [];
    if (use.effect) lines.push(`import '${specifier}';`);
    if (use.namespace) lines.push(`export * from '${specifier}';`);
    if (use.default) lines.push(`export { default } from '${specifier}';`);
    if (use.names.size > 0) lines.push(`export { ${[...use.names].sort().join(', ')} } from '${specifier}';`);
    const file = join(entriesDir, `${vendorId(specifier)}.js`);
    await writeFile(file, `${lines.join('\n')}\n`);
    vendorEntries[vendorId(specifier)] = file;
  }
  const vendor = await build({
    absWorkingDir: PACKAGE,
    entryPoints: vendorEntries,
    outdir: join(webDir, 'vendor'),
    bundle: true,
    splitting: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'esm',
    target: 'es2022',
    // Other packages' code: no maps (their sources are not shipped).
    sourcemap: false,
    logLevel: 'warning',
    metafile: true,
  });
  await rm(entriesDir, { recursive: true, force: true });
  const manifest = JSON.parse(await readFile(join(PACKAGE, 'package.json'), 'utf8'));
  const listed = new Set(manifest.sideEffects);
  for (const entry of manifest.sideEffects.filter((f) => f.startsWith('./src/') && f !== './src/node.ts')) {
    const web = entry.replace('./src/', './dist/web/').replace(/\.ts$/, '.js');
    if (!listed.has(web))
      throw new Error(`bundle: package.json "sideEffects" lists ${entry} but not ${web}; add it`);
  }
  for (const [specifier, use] of vendored) {
    const web = `./dist/web/vendor/${vendorId(specifier)}.js`;
    if (use.effect && !listed.has(web)) {
      throw new Error(
        `bundle: core imports ${specifier} for its effect; add ${web} to package.json "sideEffects"`,
      );
    }
  }
  const inputs = [...Object.keys(modules.metafile.inputs), ...Object.keys(vendor.metafile.inputs)].filter(
    (f) => !f.includes('.dspy-ts-vendor-entries'),
  );
  await writeFile(join(webDir, 'THIRD-PARTY-LICENSES.txt'), await licenceNotice(inputs));
  return join(webDir, 'index.js');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--outdir');
  const outDir = at > 0 ? resolve(process.argv[at + 1] ?? '') : undefined;
  const entry = await bundleCore(outDir);
  const web = await bundleWeb(outDir);
  process.stdout.write(
    `@dspy-ts/core bundled: ${relative(process.cwd(), entry)}, web build ${relative(process.cwd(), web)}\n`,
  );
}
