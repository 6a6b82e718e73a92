import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** The source file a relative `.js` specifier names: its `.ts` file, else the JavaScript file itself (generated code). */
function sourceOf(from: string, specifier: string): string {
  const ts = resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
  return existsSync(ts) ? ts : resolve(dirname(from), specifier);
}

/** Relative modules a source file imports for their values (`import type` is erased). */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)(?!\s+type\s)[^;]*?from\s+'(\.[^']+)'/gms)) {
    found.push(sourceOf(file, m[1] ?? ''));
  }
  for (const m of text.matchAll(/^import\s+'(\.[^']+)'/gm)) {
    found.push(sourceOf(file, m[1] ?? ''));
  }
  return found;
}

/** Every source module that loading `entry` loads at once (dynamic `import()` left out). */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...staticImports(file));
  }
  return seen;
}

describe('@dspy-ts/core/offline', () => {
  it("is not loaded by core's main entry (only new LM('offline') loads it, on first call)", () => {
    const graph = [...staticGraph(join(SRC, 'index.ts'))].map((f) => relative(SRC, f));
    expect(graph).toContain('lm/lm.ts');
    expect(graph.filter((f) => f.startsWith('offline/'))).toEqual([]);
  });

  it('is its own entry, exporting the offline default model', async () => {
    const offline = await import('@dspy-ts/core/offline');
    expect(Object.keys(offline).sort()).toEqual(['OfflineLM']);
    expect(new offline.OfflineLM().model).toBe('offline');
  });
});
