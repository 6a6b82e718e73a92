import type { FieldSpec, ManifestTool } from '@dspy-ts/core';
import { hashSignature, isToolCallsField } from '@dspy-ts/core/internal';
import { ts } from 'ts-morph';
import type { CoreName, CoreResolver } from './decorators.js';
import { readDoc } from './jsdoc.js';
import { applyTags, type Schema } from './keywords.js';
import { constantString, decoratorOptions, type OptionReader } from './options.js';
import { extractParameters, type ParamField } from './params.js';
import { relativePath } from './paths.js';
import { SchemaBuilder, type SchemaEnv, type SchemaRole } from './schema.js';
import type { BuildDiagnostic, FileExtraction, RegistryEntry } from './types.js';

/** Everything the extractor needs from the program. */
export interface ExtractEnv extends SchemaEnv {
  readonly projectDir: string;
  readonly resolver: CoreResolver;
}

/** Extracts every signature and tool declared in one source file. */
export function extractFile(sf: ts.SourceFile, env: ExtractEnv): FileExtraction {
  const out: FileExtraction = {
    signatures: [],
    tools: [],
    diagnostics: [],
    notes: [],
    registry: [],
    dependsOn: new Set(),
    lookalikes: [],
  };
  const text = sf.text;
  const hasDecorators = text.includes('@');
  const hasToolCall = text.includes('tool(');
  if (!hasDecorators && !hasToolCall) return out;
  const x = new FileExtractor(sf, env, out);
  if (hasDecorators) {
    for (const statement of sf.statements) {
      if (ts.isClassDeclaration(statement)) x.classDeclaration(statement);
    }
  }
  if (hasToolCall) x.toolCalls(sf);
  return out;
}

class FileExtractor {
  private readonly file: string;
  private readonly options: OptionReader;

  constructor(
    private readonly sf: ts.SourceFile,
    private readonly env: ExtractEnv,
    private readonly out: FileExtraction,
  ) {
    this.file = relativePath(env.projectDir, sf.fileName);
    this.options = {
      checker: env.checker,
      report: (node, symbol, message) => this.report(node, symbol, message),
    };
  }

  /** Remembers the files a builder's schema came from (for watch mode). */
  private track(builder: SchemaBuilder): void {
    for (const file of builder.touched) if (file !== this.sf.fileName) this.out.dependsOn.add(file);
  }

  report(node: ts.Node, symbol: string, message: string): void {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const d: BuildDiagnostic = { file: this.file, line: line + 1, column: character + 1, symbol, message };
    if (
      !this.out.diagnostics.some((o) => o.line === d.line && o.column === d.column && o.message === d.message)
    ) {
      this.out.diagnostics.push(d);
    }
  }

  private location(node: ts.Node): string {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    return `${this.file}:${line + 1}:${character + 1}`;
  }

  /**
   * The core decorators on a declaration. One spelled like core's that does not resolve to it
   * (a missing package, an import typo, `noResolve`) is reported where it stands.
   */
  private decorators(node: ts.HasDecorators, owner?: string): { name: CoreName; decorator: ts.Decorator }[] {
    const found: { name: CoreName; decorator: ts.Decorator }[] = [];
    const resolver = this.env.resolver;
    for (const decorator of ts.getDecorators(node) ?? []) {
      const name = resolver.resolve(decorator.expression);
      if (name) found.push({ name, decorator });
      else if (resolver.spelledAs(decorator.expression)) {
        this.out.lookalikes.push(this.location(decorator));
        const reason = owner === undefined ? undefined : resolver.unresolved(decorator.expression);
        if (reason) this.report(decorator, owner ?? '', reason);
      }
    }
    return found;
  }

  classDeclaration(cls: ts.ClassDeclaration): void {
    const className = cls.name?.text;
    const own = this.decorators(cls, className ?? 'default');
    const signature = own.find((d) => d.name === 'Signature');
    if (signature) this.classSignature(cls, signature.decorator);
    for (const member of cls.members) {
      if (!ts.isMethodDeclaration(member)) continue;
      const methodName = member.name.getText(this.sf);
      for (const { name, decorator } of this.decorators(member, `${className ?? 'default'}.${methodName}`)) {
        if (!className) {
          this.report(member, methodName, `@${name}() needs a named class; give the class a name`);
          continue;
        }
        if (name === 'Signature') this.methodSignature(className, member, decorator);
        else if (name === 'Tool') this.toolMethod(className, member, decorator);
      }
    }
  }

  private classSignature(cls: ts.ClassDeclaration, decorator: ts.Decorator): void {
    const where = cls.name ?? cls;
    const className = cls.name?.text ?? 'default';
    const before = this.out.diagnostics.length;
    const opts = decoratorOptions(decorator, this.options, `@Signature() on ${className}`);
    const name = constantString(opts.name, this.options, className) ?? className;
    const explicit = constantString(opts.instructions, this.options, name);
    const instructions = explicit ?? readDoc(cls).description;
    const inputs: FieldSpec[] = [];
    const outputs: FieldSpec[] = [];
    for (const member of cls.members) {
      if (!ts.isPropertyDeclaration(member)) continue;
      const roles = this.decorators(member).filter(
        (d) => d.name === 'InputField' || d.name === 'OutputField',
      );
      const fieldName = member.name.getText(this.sf);
      const symbol = `${name}.${fieldName}`;
      const [first, second] = roles;
      if (!first) continue;
      if (second) {
        this.report(member.name, symbol, 'a field is either @InputField() or @OutputField(), not both');
        continue;
      }
      if (!ts.isIdentifier(member.name)) {
        this.report(member.name, symbol, 'field names must be plain identifiers');
        continue;
      }
      const role: SchemaRole = first.name === 'InputField' ? 'input' : 'output';
      const fieldOpts = decoratorOptions(first.decorator, this.options, `@${first.name}() on ${symbol}`);
      const type = this.env.checker.getTypeAtLocation(member);
      const optional = !!member.questionToken || SchemaBuilder.hasUndefined(type);
      const field = this.field(
        member,
        fieldName,
        symbol,
        role,
        type,
        member.type,
        optional,
        undefined,
        member.name,
      );
      const desc = constantString(fieldOpts.desc, this.options, symbol);
      const prefix = constantString(fieldOpts.prefix, this.options, symbol);
      if (role === 'output') this.checkOneToolCalls(outputs, field, member.name, symbol);
      (role === 'input' ? inputs : outputs).push(withText(field, desc, prefix));
    }
    if (outputs.length === 0) {
      this.report(where, name, 'a signature needs at least one @OutputField() property');
    }
    if (this.out.diagnostics.length > before) return;
    this.addSignature('class', name, where, instructions, inputs, outputs);
    if (!cls.name) return;
    const modifiers = ts.getCombinedModifierFlags(cls);
    if (!(modifiers & ts.ModifierFlags.Export)) {
      this.out.notes.push(
        `${this.location(where)}  ${name}: the class is not exported, so it gets no type-level registry entry; export it for typed inputs and outputs`,
      );
      return;
    }
    const entry: RegistryEntry = {
      name,
      sourceFile: this.sf.fileName,
      exportName: modifiers & ts.ModifierFlags.Default ? 'default' : cls.name.text,
      inputs: inputs.map((f) => f.name),
      outputs: outputs.map((f) => f.name),
    };
    this.out.registry.push(entry);
  }

  /** One field: its schema (with `$defs`), JSDoc description and keyword tags, and type text. */
  private field(
    decl: ts.Node,
    name: string,
    symbol: string,
    role: SchemaRole,
    type: ts.Type,
    node: ts.TypeNode | undefined,
    optional: boolean,
    docText?: string,
    at: ts.Node = decl,
  ): FieldSpec {
    const builder = new SchemaBuilder(this.env, role);
    const schema = builder.convert(type, node);
    this.track(builder);
    const doc = readDoc(decl);
    for (const message of applyTags(schema, doc.tags)) this.report(at, symbol, message);
    for (const p of builder.problems) this.report(at, symbol, p.path ? `${p.path}: ${p.message}` : p.message);
    const description = docText ?? doc.description;
    const field: FieldSpec = {
      name,
      schema: builder.withDefs(schema),
      typeText: node ? typeText(node, this.sf) : this.env.checker.typeToString(type),
      ...(description ? { description } : {}),
      ...(optional ? { optional: true } : {}),
    };
    return field;
  }

  private methodSignature(className: string, method: ts.MethodDeclaration, decorator: ts.Decorator): void {
    const methodName = method.name.getText(this.sf);
    const before = this.out.diagnostics.length;
    const opts = decoratorOptions(decorator, this.options, `@Signature() on ${className}.${methodName}`);
    const name =
      constantString(opts.name, this.options, `${className}.${methodName}`) ?? `${className}.${methodName}`;
    const instructions = constantString(opts.instructions, this.options, name) ?? readDoc(method).description;
    const params = extractParameters(method, name, this.env.checker, (n, s, m) => this.report(n, s, m));
    const inputs = params.map((p) => this.paramField(p, name, 'input'));
    const outputs = this.returnFields(method, name);
    if (this.out.diagnostics.length > before) return;
    this.addSignature('method', name, method.name, instructions, inputs, outputs);
  }

  private paramField(p: ParamField, owner: string, role: SchemaRole): FieldSpec {
    return this.field(p.decl, p.name, `${owner}.${p.name}`, role, p.type, p.decl.type, p.optional, p.doc);
  }

  /** The outputs of a method signature: the properties of its awaited return type. */
  private returnFields(method: ts.MethodDeclaration, owner: string): FieldSpec[] {
    const checker = this.env.checker;
    const signature = checker.getSignatureFromDeclaration(method);
    const returned = signature ? checker.getReturnTypeOfSignature(signature) : undefined;
    const awaited = returned ? (checker.getAwaitedType(returned) ?? returned) : undefined;
    const where = method.type ?? method.name;
    const isObject =
      awaited &&
      (awaited.flags & ts.TypeFlags.Object || awaited.isIntersection()) &&
      !checker.isArrayType(awaited) &&
      !checker.isTupleType(awaited);
    const props = isObject ? checker.getPropertiesOfType(awaited) : [];
    if (props.length === 0) {
      this.report(
        where,
        owner,
        'the return type must be a Promise of an object whose properties are the outputs',
      );
      return [];
    }
    const outputs: FieldSpec[] = [];
    for (const prop of props) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0] ?? method;
      if (decl.getSourceFile() !== this.sf) this.out.dependsOn.add(decl.getSourceFile().fileName);
      const type = checker.getTypeOfSymbol(prop);
      const node = ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl) ? decl.type : undefined;
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0 || SchemaBuilder.hasUndefined(type);
      const symbol = `${owner}.${prop.getName()}`;
      const field = this.field(decl, prop.getName(), symbol, 'output', type, node, optional);
      this.checkOneToolCalls(outputs, field, decl === method ? where : decl, symbol);
      const typeText = node && !sameType(checker, type, node) ? checker.typeToString(type) : field.typeText;
      outputs.push({ ...field, typeText });
    }
    return outputs;
  }

  /** A signature has at most one `ToolCalls` output: a second one is a diagnostic where it stands. */
  private checkOneToolCalls(
    outputs: readonly FieldSpec[],
    field: FieldSpec,
    at: ts.Node,
    symbol: string,
  ): void {
    const first = outputs.find(isToolCallsField);
    if (!first || !isToolCallsField(field)) return;
    this.report(
      at,
      symbol,
      `a signature has at most one ToolCalls output and '${first.name}' is one already: put every call of a turn in that field and remove this one`,
    );
  }

  private addSignature(
    kind: 'class' | 'method',
    name: string,
    where: ts.Node,
    instructions: string,
    inputs: FieldSpec[],
    outputs: FieldSpec[],
  ): void {
    const hash = hashSignature({ name, instructions, inputs, outputs });
    this.out.signatures.push({
      kind,
      name,
      location: this.location(where),
      instructions,
      inputs,
      outputs,
      hash,
    });
  }

  private toolMethod(className: string, method: ts.MethodDeclaration, decorator: ts.Decorator): void {
    const methodName = method.name.getText(this.sf);
    const name = `${className}.${methodName}`;
    const opts = decoratorOptions(decorator, this.options, `@Tool() on ${name}`);
    const toolName = constantString(opts.name, this.options, name) ?? methodName;
    const desc = constantString(opts.desc, this.options, name) ?? readDoc(method).description;
    this.addTool(name, toolName, desc, method, method.name);
  }

  /** `tool(fn, { name, desc })` calls whose `tool` is core's: the function's parameters become the schema. */
  toolCalls(sf: ts.SourceFile): void {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && this.env.resolver.resolve(node.expression) === 'tool')
        this.toolCall(node);
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(sf, visit);
  }

  private toolCall(call: ts.CallExpression): void {
    const [fnArg, optsArg] = call.arguments;
    if (!fnArg) return;
    const fn = this.functionOf(fnArg);
    const opts = optsArg && ts.isObjectLiteralExpression(optsArg) ? readObject(optsArg) : {};
    const fnName =
      fn?.name && ts.isIdentifier(fn.name) ? fn.name.text : ts.isIdentifier(fnArg) ? fnArg.text : undefined;
    const toolName = constantString(opts.name, this.options, fnName ?? 'tool') ?? fnName;
    if (!fn || !toolName) {
      this.report(
        call,
        fnName ?? 'tool',
        'tool(fn) needs a function declared in the project and a name (function name or { name })',
      );
      return;
    }
    const desc = constantString(opts.desc, this.options, toolName) ?? readDoc(docHost(fn)).description;
    this.addTool(fnName ?? toolName, toolName, desc, fn, fn.name ?? call);
  }

  private functionOf(expr: ts.Expression): ts.SignatureDeclaration | undefined {
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return expr;
    if (!ts.isIdentifier(expr)) return undefined;
    let symbol = this.env.checker.getSymbolAtLocation(expr);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.env.checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (!decl) return undefined;
    if (ts.isFunctionDeclaration(decl)) return decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = decl.initializer;
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }

  private addTool(
    name: string,
    toolName: string,
    description: string,
    fn: ts.SignatureDeclaration,
    where: ts.Node,
  ): void {
    const before = this.out.diagnostics.length;
    const builder = new SchemaBuilder(this.env, 'input', false);
    const params = extractParameters(fn, name, this.env.checker, (n, s, m) => this.report(n, s, m));
    const properties: Schema = {};
    const required: string[] = [];
    for (const p of params) {
      const seen = builder.problems.length;
      const schema = builder.convert(p.type, p.decl.type);
      const doc = readDoc(p.decl);
      for (const message of applyTags(schema, doc.tags)) this.report(p.decl, `${name}.${p.name}`, message);
      for (const problem of builder.problems.slice(seen)) {
        const message = problem.path ? `${problem.path}: ${problem.message}` : problem.message;
        this.report(p.decl, `${name}.${p.name}`, message);
      }
      if (p.doc) schema.description = p.doc;
      properties[p.name] = schema;
      if (!p.optional) required.push(p.name);
    }
    if (this.out.diagnostics.length > before) return;
    this.track(builder);
    const parameters = builder.withDefs({
      type: 'object',
      properties,
      required,
      additionalProperties: false,
    });
    const returns = this.toolReturns(fn);
    const tool: ManifestTool = {
      name,
      toolName,
      location: this.location(where),
      description,
      params: params.map((p) => p.name),
      parameters,
      ...(returns ? { returns } : {}),
    };
    this.out.tools.push(tool);
  }

  /** The schema of a tool's awaited return type, when it can be expressed (never a diagnostic). */
  private toolReturns(fn: ts.SignatureDeclaration): Schema | undefined {
    const checker = this.env.checker;
    const signature = checker.getSignatureFromDeclaration(fn);
    if (!signature) return undefined;
    const returned = checker.getReturnTypeOfSignature(signature);
    const awaited = checker.getAwaitedType(returned) ?? returned;
    if (
      awaited.flags &
      (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Any | ts.TypeFlags.Unknown)
    ) {
      return undefined;
    }
    const builder = new SchemaBuilder(this.env, 'output', false);
    const schema = builder.convert(awaited, undefined);
    this.track(builder);
    return builder.problems.length > 0 ? undefined : builder.withDefs(schema);
  }
}

function withText(field: FieldSpec, desc: string | undefined, prefix: string | undefined): FieldSpec {
  return {
    ...field,
    ...(desc !== undefined ? { description: desc } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
  };
}

/** The type as written, on one line (`'a' | 'b'`, `string[]`, `Ticket`). */
function typeText(node: ts.TypeNode, sf: ts.SourceFile): string {
  return node.getText(sf).replace(/\s+/g, ' ').replace(/^\| /, '').trim();
}

function sameType(checker: ts.TypeChecker, type: ts.Type, node: ts.TypeNode): boolean {
  const declared = checker.getTypeFromTypeNode(node);
  if (declared === type) return true;
  const strip = (t: ts.Type) =>
    (t.isUnion() ? t.types : [t]).filter((m) => !(m.flags & ts.TypeFlags.Undefined));
  const a = strip(type);
  const b = new Set(strip(declared));
  return a.length === b.size && a.every((m) => b.has(m));
}

function readObject(obj: ts.ObjectLiteralExpression): Record<string, ts.Expression> {
  const out: Record<string, ts.Expression> = {};
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      out[p.name.text] = p.initializer;
    }
  }
  return out;
}

/** The node whose JSDoc documents a function (the variable statement for `const f = () => ...`). */
function docHost(fn: ts.SignatureDeclaration): ts.Node {
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent)) return parent;
  return fn;
}
