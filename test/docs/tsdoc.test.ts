/**
 * Every export of every package's `src/index.ts` has a TSDoc summary: the TypeScript compiler
 * API lists the exported declarations (aliases followed to where they are declared) and the
 * ones without a JSDoc comment.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = readdirSync(join(ROOT, 'packages')).sort();

/** Undocumented exports still to be written, by `package:name`; this list may only shrink. */
const KNOWN_UNDOCUMENTED: readonly string[] = [];

function hasDoc(decl: ts.Declaration): boolean {
  // A variable's comment sits on its statement; an overload set is documented by any one.
  const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && doc.comment !== undefined);
}

/** `package:name (file)` for every export of the package entries without a TSDoc summary. */
function undocumentedExports(
  packages: readonly string[] = PACKAGES,
  entries = packages.map((p) => join(ROOT, 'packages', p, 'src/index.ts')),
): string[] {
  const program = ts.createProgram(entries, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    customConditions: ['@dspy-ts/source'],
    experimentalDecorators: false,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const missing: string[] = [];
  packages.forEach((pkg, i) => {
    const source = program.getSourceFile(entries[i] as string);
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`cannot read ${entries[i]}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = target.declarations ?? [];
      if (decls.length > 0 && !decls.some(hasDoc)) {
        const file = relative(ROOT, decls[0]?.getSourceFile().fileName ?? '');
        missing.push(`${pkg}:${exported.name} (${file})`);
      }
    }
  });
  return missing.sort();
}

describe('TSDoc on every public export', () => {
  it('finds an undocumented export, also behind a re-export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dspy-ts-tsdoc-'));
    try {
      writeFileSync(
        join(dir, 'more.ts'),
        'export const bare = 1;\n/** Documented. */\nexport type Kept = string;\n',
      );
      writeFileSync(
        join(dir, 'index.ts'),
        "/** Documented. */\nexport function ok(): void {}\nexport class Plain {}\nexport { bare, type Kept } from './more.js';\n",
      );
      const missing = undocumentedExports(['fixture'], [join(dir, 'index.ts')]);
      expect(missing.map((m) => m.split(' ')[0])).toEqual(['fixture:Plain', 'fixture:bare']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists the exports of packages/*/src/index.ts that have no summary', () => {
    const missing = undocumentedExports();
    const unexpected = missing.filter((m) => !KNOWN_UNDOCUMENTED.includes(m.split(' ')[0] as string));
    expect(unexpected, `exports without a TSDoc summary:\n${unexpected.join('\n')}`).toEqual([]);
  }, 60_000);
});
