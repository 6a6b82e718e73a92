import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { REPO } from './generate.js';

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}

/**
 * Compiles `@dspy-ts/core`'s sources file by file to JavaScript (as a published `dist` would
 * be) into `dir`, linking its dependencies, and returns the path of its entry module.
 */
export async function compileCore(dir: string): Promise<string> {
  const src = join(REPO, 'packages', 'core', 'src');
  await mkdir(dir, { recursive: true });
  await symlink(join(REPO, 'packages', 'core', 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  for await (const file of walk(src)) {
    const target = join(dir, 'src', relative(src, file));
    await mkdir(dirname(target), { recursive: true });
    if (!file.endsWith('.ts') || file.endsWith('.d.ts')) {
      await cp(file, target);
      continue;
    }
    const out = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      },
    });
    await writeFile(target.replace(/\.ts$/, '.js'), out.outputText);
  }
  return join(dir, 'src', 'index.js');
}
