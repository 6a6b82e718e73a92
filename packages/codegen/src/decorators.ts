import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ts } from 'ts-morph';

/** The `@dspy-ts/core` exports the build step looks for. */
export type CoreName = 'Signature' | 'InputField' | 'OutputField' | 'Tool' | 'tool';

const CORE_PACKAGE = '@dspy-ts/core';
const NAMES = new Set<string>(['Signature', 'InputField', 'OutputField', 'Tool', 'tool']);

/**
 * Decides whether an expression names one of `@dspy-ts/core`'s decorators, through the type
 * checker: the identifier's symbol must resolve (through aliases and re-exports) to a
 * declaration inside the `@dspy-ts/core` package. A user's own `Signature` is not one.
 */
export class CoreResolver {
  private readonly packageOfDir = new Map<string, string | null>();
  private readonly bySymbol = new Map<ts.Symbol, CoreName | null>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The core name a decorator (`@Signature()`, `@core.Tool`) or callee refers to, if any. */
  resolve(expression: ts.Expression): CoreName | undefined {
    let expr = expression;
    while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
    if (ts.isCallExpression(expr)) expr = expr.expression;
    const target = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
    if (!ts.isIdentifier(target) || (!NAMES.has(target.text) && !this.mayBeRenamed(target))) return undefined;
    const symbol = this.checker.getSymbolAtLocation(target);
    return symbol ? this.fromSymbol(symbol) : undefined;
  }

  /** An identifier imported under another name (`import { Signature as Sig }`) can still be core's. */
  private mayBeRenamed(id: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    return !!symbol && (symbol.flags & ts.SymbolFlags.Alias) !== 0;
  }

  private fromSymbol(symbol: ts.Symbol): CoreName | undefined {
    const cached = this.bySymbol.get(symbol);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.walk(symbol);
    this.bySymbol.set(symbol, found ?? null);
    return found;
  }

  private walk(start: ts.Symbol): CoreName | undefined {
    const coreNames: string[] = [];
    let symbol: ts.Symbol | undefined = start;
    for (let hops = 0; symbol && hops < 32; hops++) {
      const decl = symbol.declarations?.[0];
      if (decl && this.inCore(decl.getSourceFile().fileName)) coreNames.push(symbol.getName());
      if (!(symbol.flags & ts.SymbolFlags.Alias)) break;
      symbol = this.checker.getImmediateAliasedSymbol(symbol);
    }
    const finalDecl = symbol?.declarations?.[0];
    if (!symbol || !finalDecl || !this.inCore(finalDecl.getSourceFile().fileName)) return undefined;
    return coreNames.find((n): n is CoreName => NAMES.has(n));
  }

  private inCore(fileName: string): boolean {
    return this.packageName(dirname(fileName)) === CORE_PACKAGE;
  }

  private packageName(dir: string): string | null {
    const known = this.packageOfDir.get(dir);
    if (known !== undefined) return known;
    let name: string | null = null;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      name = typeof pkg.name === 'string' ? pkg.name : null;
    } catch {
      const parent = dirname(dir);
      name = parent === dir ? null : this.packageName(parent);
    }
    this.packageOfDir.set(dir, name);
    return name;
  }
}
