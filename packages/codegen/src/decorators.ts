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

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly options: ts.CompilerOptions = {},
  ) {}

  /**
   * The core name an expression is spelled as or imported as (`Signature`, or `Sig` from
   * `import { Signature as Sig }`), whether or not it resolves; undefined for other names.
   */
  spelledAs(expression: ts.Expression): CoreName | undefined {
    const target = targetOf(expression);
    if (!target) return undefined;
    const symbol = this.checker.getSymbolAtLocation(target);
    const spec = symbol?.declarations?.find(ts.isImportSpecifier);
    const name = spec ? (spec.propertyName ?? spec.name).text : target.text;
    return NAMES.has(name) ? (name as CoreName) : undefined;
  }

  /**
   * Why a decorator spelled like one of core's (see {@link spelledAs}) is not core's, when that
   * is a mistake: it names nothing, its module cannot be found, or `@dspy-ts/core` resolves to
   * a file outside that package. Undefined when it resolves to core or to a user's own function.
   */
  unresolved(expression: ts.Expression): string | undefined {
    const name = this.spelledAs(expression);
    const target = targetOf(expression);
    if (!name || !target || this.resolve(expression)) return undefined;
    // `@core.Signature()` whose `core` namespace import names a missing module has no symbol
    // of its own: the namespace's import says why.
    const symbol = this.checker.getSymbolAtLocation(target) ?? this.namespaceOf(expression);
    const fix = this.fix(name);
    if (!symbol) return `@${name} does not resolve to a declaration; ${fix}`;
    if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
    const spec = importSpecifierOf(symbol);
    const module = spec && ts.isStringLiteral(spec) ? spec.text : undefined;
    const moduleSymbol = spec ? this.checker.getSymbolAtLocation(spec) : undefined;
    if (module !== undefined && !moduleSymbol) {
      return `@${name} does not resolve: the module '${module}' cannot be found${this.why()}; ${fix}`;
    }
    const final = this.checker.getAliasedSymbol(symbol);
    const decl = final.declarations?.[0];
    if (!decl)
      return `@${name} does not resolve: '${module ?? 'its module'}' has no export '${name}'; ${fix}`;
    if (module === CORE_PACKAGE) {
      return `@${name} is imported from '${CORE_PACKAGE}' but resolves to ${decl.getSourceFile().fileName}, which is not inside the ${CORE_PACKAGE} package; ${fix}`;
    }
    return undefined;
  }

  private namespaceOf(expression: ts.Expression): ts.Symbol | undefined {
    let expr = expression;
    while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
    if (ts.isCallExpression(expr)) expr = expr.expression;
    if (!ts.isPropertyAccessExpression(expr) || !ts.isIdentifier(expr.expression)) return undefined;
    return this.checker.getSymbolAtLocation(expr.expression);
  }

  private why(): string {
    if (this.options.noResolve) return ' (the tsconfig sets noResolve)';
    if (this.options.moduleResolution === ts.ModuleResolutionKind.Classic)
      return " (the tsconfig uses moduleResolution 'classic', which does not look in node_modules)";
    return '';
  }

  private fix(name: string): string {
    return `install ${CORE_PACKAGE} in this project, import { ${name} } from '${CORE_PACKAGE}', and use moduleResolution node16, nodenext or bundler without noResolve`;
  }

  /** The core name a decorator (`@Signature()`, `@core.Tool`) or callee refers to, if any. */
  resolve(expression: ts.Expression): CoreName | undefined {
    const target = targetOf(expression);
    if (!target || (!NAMES.has(target.text) && !this.mayBeRenamed(target))) return undefined;
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

  /** Whether `symbol` (after aliases) is declared inside the `@dspy-ts/core` package. */
  declaredInCore(symbol: ts.Symbol): boolean {
    const final = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = final.declarations?.[0];
    return !!decl && this.inCore(decl.getSourceFile().fileName);
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

/** The identifier a decorator or callee names (`Signature` in `@Signature()`, `Tool` in `@core.Tool`). */
function targetOf(expression: ts.Expression): ts.Identifier | undefined {
  let expr = expression;
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (ts.isCallExpression(expr)) expr = expr.expression;
  const target = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
  return ts.isIdentifier(target) ? target : undefined;
}

/** The module specifier of the import that declares an alias symbol (`'@dspy-ts/core'`). */
function importSpecifierOf(symbol: ts.Symbol): ts.Expression | undefined {
  const decl = symbol.declarations?.[0];
  if (!decl) return undefined;
  let node: ts.Node | undefined = decl;
  while (node && !ts.isImportDeclaration(node) && !ts.isImportEqualsDeclaration(node)) node = node.parent;
  if (!node) return undefined;
  if (ts.isImportDeclaration(node)) return node.moduleSpecifier;
  const ref = node.moduleReference;
  return ts.isExternalModuleReference(ref) ? ref.expression : undefined;
}
