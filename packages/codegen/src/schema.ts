import type { JsonValue } from '@dspy-ts/core';
import { ts } from 'ts-morph';
import { notJsonReason } from './builtins.js';
import { coreFieldType, notToolData, REASONING } from './core-types.js';
import { readDoc } from './jsdoc.js';
import { applyTags, type Schema } from './keywords.js';

/** Where the schema is used: `any`/`unknown` are accepted in inputs only. */
export type SchemaRole = 'input' | 'output';

/** What a {@link SchemaBuilder} needs from the program. */
export interface SchemaEnv {
  readonly checker: ts.TypeChecker;
  readonly isLibFile: (file: ts.SourceFile) => boolean;
  /** Whether a symbol is declared inside the `@dspy-ts/core` package (its `History`, `Tool`, `ToolCalls`). */
  readonly isCoreSymbol?: (symbol: ts.Symbol) => boolean;
}

/** A type the builder cannot express; the caller turns these into located diagnostics. */
export interface SchemaProblem {
  /** Dotted path inside the field (`''` for the field itself, `meta.tags[]`). */
  readonly path: string;
  readonly message: string;
}

const LIB_ALIASES = new Set(['Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Record', 'NonNullable']);
const PRIMITIVE =
  ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike;

const ref = (name: string): Schema => ({ $ref: `#/$defs/${name}` });

/**
 * Turns TypeScript types into JSON Schema (draft 2020-12) with the type checker. One builder
 * serves one self-contained schema (one field, or one tool's parameter object): named types
 * it meets are collected in {@link SchemaBuilder.defs} and referenced with `$ref`.
 */
export class SchemaBuilder {
  /** Named types met so far (`$defs`), in the order they were completed. */
  readonly defs = new Map<string, Schema>();
  /** Problems met so far. */
  readonly problems: SchemaProblem[] = [];
  /** Files whose declarations shaped the schema (what a change must trigger re-extraction for). */
  readonly touched = new Set<string>();
  private readonly names = new Map<ts.Type, string>();
  private readonly pending = new Map<ts.Type, { name: string; used: boolean }>();
  private readonly taken = new Set<string>();
  private readonly checker: ts.TypeChecker;
  /** How many unions of two or more values the conversion is inside. */
  private unionDepth = 0;

  /**
   * @param role Whether the schema is an input's or an output's.
   * @param isField Whether the root is a signature field's whole type, where core's marked
   *   field types (`History`, `Tool[]`, `ToolCalls`) may stand; not so for a tool's parameters.
   */
  constructor(
    private readonly env: SchemaEnv,
    private readonly role: SchemaRole,
    private readonly isField = true,
  ) {
    this.checker = env.checker;
  }

  /**
   * The schema of `type`, declared by `node` when there is one (it keeps what the checker
   * forgets: an `integer` alias, the order of a written union, an alias's name).
   * `undefined` members of unions are dropped: optionality is the caller's business.
   */
  convert(type: ts.Type, node?: ts.TypeNode, path = ''): Schema {
    const marked = this.coreField(type, path) ?? this.coreAlias(node, path);
    if (marked) return marked;
    const written = this.consistentNode(type, node);
    if (written) {
      const viaNode = this.fromNode(type, written, path);
      if (viaNode) return viaNode;
    }
    return this.fromType(type, written, path);
  }

  /** Attaches the collected `$defs` to a root schema (returns the same object). */
  withDefs(schema: Schema): Schema {
    if (this.defs.size === 0) return schema;
    const defs: Schema = {};
    for (const name of [...this.defs.keys()].sort()) defs[name] = this.defs.get(name) ?? {};
    schema.$defs = defs;
    return schema;
  }

  /** Whether a type admits `undefined` (an optional property or parameter). */
  static hasUndefined(type: ts.Type): boolean {
    if (type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return true;
    return type.isUnion() && type.types.some((t) => (t.flags & ts.TypeFlags.Undefined) !== 0);
  }

  private problem(path: string, message: string): Schema {
    this.problems.push({ path, message });
    return {};
  }

  /** `node` when it really declares `type` (not a generic declaration instantiated elsewhere). */
  private consistentNode(type: ts.Type, node: ts.TypeNode | undefined): ts.TypeNode | undefined {
    if (!node) return undefined;
    let inner: ts.TypeNode = node;
    while (ts.isParenthesizedTypeNode(inner)) inner = inner.type;
    if (this.isIntegerAlias(inner)) return inner;
    const declared = this.checker.getTypeFromTypeNode(inner);
    if (declared === type) return inner;
    const strip = (t: ts.Type) =>
      (t.isUnion() ? t.types : [t]).filter((m) => !(m.flags & ts.TypeFlags.Undefined));
    const a = strip(type);
    const b = new Set(strip(declared));
    return a.length === b.size && a.every((m) => b.has(m)) ? inner : undefined;
  }

  private isIntegerAlias(node: ts.TypeNode): boolean {
    if (!ts.isTypeReferenceNode(node) || node.typeArguments) return false;
    const decl = this.aliasDeclaration(node);
    return !!decl && decl.name.text === 'integer' && decl.type.kind === ts.SyntaxKind.NumberKeyword;
  }

  private aliasDeclaration(node: ts.TypeReferenceNode): ts.TypeAliasDeclaration | undefined {
    let symbol = this.checker.getSymbolAtLocation(node.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
    return decl && !this.env.isLibFile(decl.getSourceFile()) ? decl : undefined;
  }

  /** Node-driven cases; `undefined` hands over to {@link fromType}. */
  private fromNode(type: ts.Type, node: ts.TypeNode, path: string): Schema | undefined {
    if (this.isIntegerAlias(node)) return { type: 'integer' };
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) {
      return this.convert(type, node.type, path);
    }
    if (ts.isArrayTypeNode(node) && this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return item ? { type: 'array', items: this.convert(item, node.elementType, `${path}[]`) } : undefined;
    }
    if (ts.isTypeReferenceNode(node)) {
      const args = node.typeArguments;
      if (args?.length === 1 && this.checker.isArrayType(type)) {
        const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
        return item ? { type: 'array', items: this.convert(item, args[0], `${path}[]`) } : undefined;
      }
      const alias = args ? undefined : this.aliasDeclaration(node);
      if (alias && !alias.typeParameters) return this.fromAlias(type, alias, path);
    }
    if (ts.isUnionTypeNode(node)) return this.union(type, node.types, path);
    return undefined;
  }

  /** A reference to a user's (non-generic) type alias: objects go to `$defs`, the rest inline. */
  private fromAlias(type: ts.Type, alias: ts.TypeAliasDeclaration, path: string): Schema {
    const name = alias.name.text;
    if (this.isPlainObject(type)) {
      return this.named(type, name, () => this.describe(this.objectBody(type, path), alias, path));
    }
    return this.inlineUnlessRecursive(type, name, () =>
      this.describe(this.convert(type, alias.type, path), alias, path),
    );
  }

  private touch(decl: ts.Node | undefined): void {
    if (decl) this.touched.add(decl.getSourceFile().fileName);
  }

  /** Adds a declaration's JSDoc to its schema: the description, and keyword tags (`@format`, `@pattern`, ...). */
  private describe(schema: Schema, decl: ts.Node | undefined, path: string): Schema {
    this.touch(decl);
    const doc = readDoc(decl);
    if (doc.description && !schema.description) schema.description = doc.description;
    for (const message of applyTags(schema, doc.tags)) this.problem(path, message);
    return schema;
  }

  private fromType(type: ts.Type, node: ts.TypeNode | undefined, path: string): Schema {
    const f = type.flags;
    const F = ts.TypeFlags;
    if (f & (F.Any | F.Unknown)) {
      if (isErrorType(type)) {
        const name = node ? node.getText() : this.text(type);
        return this.problem(
          path,
          `the type '${name}' does not resolve (no declaration found); check its import and that its package is installed`,
        );
      }
      if (this.role === 'output') {
        return this.problem(
          path,
          `'${this.text(type)}' cannot be validated in an output; declare a concrete type`,
        );
      }
      return {};
    }
    if (f & F.Never) return this.problem(path, "'never' has no values");
    if (f & (F.BigInt | F.BigIntLiteral))
      return this.problem(path, 'bigint is not JSON; use number or a string');
    if (f & (F.ESSymbol | F.UniqueESSymbol)) return this.problem(path, 'symbols are not JSON');
    if (f & (F.Undefined | F.Void)) return this.problem(path, `'${this.text(type)}' alone is not a value`);
    if (f & F.Null) return { type: 'null' };
    if (f & F.Boolean) return { type: 'boolean' };
    if (f & F.EnumLike && this.enumValues(type)) {
      this.touch(type.getSymbol()?.declarations?.[0]);
      return this.enumSchema(this.enumValues(type) ?? []);
    }
    if (type.isStringLiteral()) return { type: 'string', const: type.value };
    if (type.isNumberLiteral()) return { type: 'number', const: type.value };
    if (f & F.BooleanLiteral) return { type: 'boolean', const: this.text(type) === 'true' };
    if (f & (F.String | F.TemplateLiteral | F.StringMapping)) return { type: 'string' };
    if (f & F.Number) return { type: 'number' };
    if (type.isUnion()) {
      // A recursive alias met without its written node (`Json[]` inside `Json`) refers to itself here.
      const name = type.aliasSymbol?.getName() ?? 'Union';
      return this.inlineUnlessRecursive(type, name, () => this.union(type, undefined, path));
    }
    if (type.isIntersection()) return this.intersection(type, path);
    if (f & F.TypeParameter)
      return this.problem(path, `the type parameter '${this.text(type)}' is not resolved`);
    if (f & F.NonPrimitive) return { type: 'object' };
    if (f & F.Object) return this.object(type as ts.ObjectType, node, path);
    return this.problem(path, `the type '${this.text(type)}' is not supported`);
  }

  private text(type: ts.Type): string {
    return this.checker.typeToString(type);
  }

  /** Values of an enum type or enum member, in declaration order; `undefined` when not an enum. */
  private enumValues(type: ts.Type): JsonValue[] | undefined {
    const members = type.isUnion() ? type.types : [type];
    const values: JsonValue[] = [];
    for (const m of members) {
      if (!(m.flags & ts.TypeFlags.EnumLiteral) || !m.isLiteral()) return undefined;
      if (typeof m.value !== 'string' && typeof m.value !== 'number') return undefined;
      values.push(m.value);
    }
    return values;
  }

  private enumSchema(values: readonly JsonValue[]): Schema {
    const kinds = new Set(values.map((v) => (v === null ? 'null' : typeof v)));
    const schema: Schema = {};
    if (kinds.size === 1) schema.type = [...kinds][0] ?? 'string';
    else if (kinds.size > 1) schema.type = [...kinds];
    if (values.length === 1) schema.const = values[0] ?? null;
    else schema.enum = [...values];
    return schema;
  }

  private literalValue(t: ts.Type): JsonValue | undefined {
    if (t.flags & ts.TypeFlags.Null) return null;
    if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
    if (t.flags & ts.TypeFlags.BooleanLiteral) return this.text(t) === 'true';
    return undefined;
  }

  /** A union, from its written members when known (keeps the author's order). */
  private union(type: ts.Type, written: readonly ts.TypeNode[] | undefined, path: string): Schema {
    const members: { type: ts.Type; node?: ts.TypeNode }[] = [];
    if (written) {
      for (const node of written) {
        const t = this.checker.getTypeFromTypeNode(node);
        if (t.isUnion() && !(t.flags & ts.TypeFlags.Boolean) && !this.enumValues(t)) {
          members.push(...this.unionMembers(t.types));
        } else members.push({ type: t, node });
      }
    } else if (type.isUnion()) members.push(...this.unionMembers(type.types));
    const values = members.filter((m) => !(m.type.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    if (values.length === 0) return this.problem(path, `'${this.text(type)}' alone is not a value`);
    const enumValues = this.enumValues(type);
    if (enumValues && !written) return this.enumSchema(enumValues);
    if (this.allLiteral(values.map((m) => m.type))) {
      const literals = values.flatMap((m) => this.enumValues(m.type) ?? [this.literalValue(m.type) ?? null]);
      return this.enumSchema(literals);
    }
    const hasNull = values.some((m) => m.type.flags & ts.TypeFlags.Null);
    const others = values.filter((m) => !(m.type.flags & ts.TypeFlags.Null));
    // A marked core type is a field's whole type: as one member of a union it is inside another type.
    this.unionDepth += values.length > 1 ? 1 : 0;
    const schemas = others.map((m) => this.convert(m.type, m.node, path));
    this.unionDepth -= values.length > 1 ? 1 : 0;
    if (hasNull) schemas.push({ type: 'null' });
    return mergeUnion(schemas);
  }

  /** The members of a union, with `true` and `false` joined into `boolean` unless every member is a literal. */
  private unionMembers(parts: readonly ts.Type[]): { type: ts.Type }[] {
    const hasTrue = parts.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && this.text(t) === 'true');
    const hasFalse = parts.some((t) => t.flags & ts.TypeFlags.BooleanLiteral && this.text(t) === 'false');
    const bothBooleans = hasTrue && hasFalse && !this.allLiteral(parts);
    const members: { type: ts.Type }[] = [];
    let booleanAdded = false;
    for (const t of parts) {
      if (bothBooleans && t.flags & ts.TypeFlags.BooleanLiteral) {
        if (!booleanAdded) members.push({ type: this.checker.getBooleanType() });
        booleanAdded = true;
      } else members.push({ type: t });
    }
    return members;
  }

  private allLiteral(types: readonly ts.Type[]): boolean {
    return types.every((t) => this.literalValue(t) !== undefined || this.enumValues(t) !== undefined);
  }

  private intersection(type: ts.IntersectionType, path: string): Schema {
    const primitive = type.types.find((t) => t.flags & PRIMITIVE);
    if (primitive) return this.convert(primitive, undefined, path);
    const name = this.nameOf(type);
    const body = () => this.objectBody(type, path);
    return name ? this.named(type, name, body) : this.inlineUnlessRecursive(type, 'Intersection', body);
  }

  private object(type: ts.ObjectType, node: ts.TypeNode | undefined, path: string): Schema {
    const symbol = type.getSymbol();
    const libName = symbol && this.isLibSymbol(symbol) ? symbol.getName() : undefined;
    if (libName === 'Date') return { type: 'string', format: 'date-time' };
    if (this.checker.isTupleType(type)) return this.tuple(type as ts.TupleTypeReference, node, path);
    if (this.checker.isArrayType(type)) {
      const [item] = this.checker.getTypeArguments(type as ts.TypeReference);
      return { type: 'array', items: item ? this.convert(item, undefined, `${path}[]`) : {} };
    }
    const builtin = symbol && this.isBuiltinSymbol(symbol) ? notJsonReason(symbol.getName()) : undefined;
    if (builtin) return this.problem(path, builtin);
    const arrayLike = this.arrayBase(type);
    if (arrayLike) return this.arraySubtype(type, arrayLike, path);
    const base = this.nonJsonBase(type);
    if (base) return this.problem(path, `'${symbol?.getName()}' extends ${base.name}: ${base.reason}`);
    if (this.checker.getSignaturesOfType(type, ts.SignatureKind.Call).length > 0) {
      return this.problem(path, 'functions cannot be sent to or produced by a model');
    }
    if (this.checker.getSignaturesOfType(type, ts.SignatureKind.Construct).length > 0) {
      return this.problem(path, 'a class constructor is not a value; use the instance type');
    }
    if (libName && symbol && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class)) {
      return this.problem(path, `the built-in type '${this.text(type)}' is not JSON`);
    }
    if (symbol && this.isBuiltinSymbol(symbol) && this.hasMethods(type)) {
      return this.problem(
        path,
        `'${this.text(type)}' (declared in ${packageOf(symbol)}) is an object with methods, not JSON data; declare the data it carries as an interface`,
      );
    }
    const name = this.nameOf(type);
    const decl = symbol?.declarations?.[0];
    this.touch(decl);
    this.touch(type.aliasSymbol?.declarations?.[0]);
    const body = () => this.describe(this.objectBody(type, path), name ? decl : undefined, path);
    return name ? this.named(type, name, body) : this.inlineUnlessRecursive(type, 'Anonymous', body);
  }

  /**
   * `History`, `Tool[]` and `ToolCalls` from `@dspy-ts/core`: the marked schema adapters read,
   * when the type is a whole field of its role (optional is fine); `Image`, `Audio` and `File`
   * also inside an input's type; anywhere else, and a bare `Tool` anywhere, a problem. `undefined` for every other type.
   */
  private coreField(type: ts.Type, path: string): Schema | undefined {
    const isCore = this.env.isCoreSymbol;
    const found = isCore ? coreFieldType(type, this.checker, isCore) : undefined;
    if (!found) return undefined;
    if (!this.isField) return this.problem(path, notToolData(found));
    const whole = path === '' && this.unionDepth === 0;
    if (found.schema && (found.role === undefined || found.role === this.role) && (whole || found.nested))
      return structuredClone(found.schema) as Schema;
    return this.problem(path, found.misuse);
  }

  /**
   * `Reasoning` from `@dspy-ts/core`, read from the written type (an alias of `string`, which the
   * checker does not keep): the marked schema for a whole output field, else a problem.
   */
  private coreAlias(node: ts.TypeNode | undefined, path: string): Schema | undefined {
    const isCore = this.env.isCoreSymbol;
    let inner = node;
    while (inner && ts.isParenthesizedTypeNode(inner)) inner = inner.type;
    if (!isCore || !inner || !ts.isTypeReferenceNode(inner) || inner.typeArguments) return undefined;
    let symbol = this.checker.getSymbolAtLocation(inner.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    if (!symbol || symbol.getName() !== REASONING.name || !isCore(symbol)) return undefined;
    if (!symbol.declarations?.some(ts.isTypeAliasDeclaration)) return undefined;
    const whole = path === '' && this.unionDepth === 0;
    if (this.isField && whole && this.role === REASONING.role)
      return structuredClone(REASONING.schema) as Schema;
    return this.problem(path, this.isField ? REASONING.misuse : notToolData(REASONING));
  }

  private tuple(type: ts.TupleTypeReference, node: ts.TypeNode | undefined, path: string): Schema {
    const items = this.checker.getTypeArguments(type);
    const flags = type.target.elementFlags;
    const written = node && ts.isTupleTypeNode(node) ? node.elements : undefined;
    const prefixItems: JsonValue[] = [];
    let rest: Schema | false = false;
    let minItems = 0;
    items.forEach((item, i) => {
      const flag = flags[i] ?? ts.ElementFlags.Required;
      let elementNode = written?.[i];
      if (elementNode && ts.isNamedTupleMember(elementNode)) elementNode = elementNode.type;
      if (elementNode && (ts.isOptionalTypeNode(elementNode) || ts.isRestTypeNode(elementNode))) {
        elementNode = elementNode.type;
      }
      if (flag & ts.ElementFlags.Variable) {
        rest = this.convert(item, undefined, `${path}[${i}]`);
        return;
      }
      if (flag & ts.ElementFlags.Required) minItems = i + 1;
      prefixItems.push(this.convert(item, elementNode, `${path}[${i}]`));
    });
    const schema: Schema = { type: 'array', prefixItems, items: rest };
    if (minItems > 0) schema.minItems = minItems;
    if (rest === false) schema.maxItems = prefixItems.length;
    return schema;
  }

  /** The `$defs` name of a named object type (`Ticket`, `Page_Ticket`), or undefined when anonymous. */
  private nameOf(type: ts.Type): string | undefined {
    const alias = type.aliasSymbol;
    if (alias && !(this.isLibSymbol(alias) && LIB_ALIASES.has(alias.getName()))) {
      return this.withArgs(alias.getName(), type.aliasTypeArguments ?? []);
    }
    const symbol = type.getSymbol();
    if (!symbol || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    const args =
      (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
        ? this.checker.getTypeArguments(type as ts.TypeReference)
        : [];
    return this.withArgs(symbol.getName(), args);
  }

  private withArgs(name: string, args: readonly ts.Type[]): string {
    if (args.length === 0) return name;
    const parts = args.map((a) =>
      this.text(a)
        .replace(/[^A-Za-z0-9_]+/g, '_')
        .replace(/^_+|_+$/g, ''),
    );
    return [name, ...parts].join('_');
  }

  private isLibSymbol(symbol: ts.Symbol): boolean {
    const decl = symbol.declarations?.[0];
    return !!decl && this.env.isLibFile(decl.getSourceFile());
  }

  /**
   * Declared by TypeScript's lib or by a declaration file under node_modules (`@types/node`'s
   * `URL`, `Buffer`): where the built-ins that are not JSON come from.
   */
  private isBuiltinSymbol(symbol: ts.Symbol): boolean {
    const sf = symbol.declarations?.[0]?.getSourceFile();
    if (!sf) return false;
    return this.env.isLibFile(sf) || (sf.isDeclarationFile && /[\\/]node_modules[\\/]/.test(sf.fileName));
  }

  /** The `Array<T>` / `ReadonlyArray<T>` an interface or class extends (`interface Tags extends Array<Tag>`). */
  private arrayBase(type: ts.Type): ts.TypeReference | undefined {
    const symbol = type.getSymbol();
    if (!symbol || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    if (!((type as ts.ObjectType).objectFlags & (ts.ObjectFlags.ClassOrInterface | ts.ObjectFlags.Reference)))
      return undefined;
    const target =
      (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
        ? (type as ts.TypeReference).target
        : (type as ts.InterfaceType);
    const bases = this.checker.getBaseTypes(target as ts.InterfaceType);
    return bases.find((b) => this.checker.isArrayType(b)) as ts.TypeReference | undefined;
  }

  /** Whether an interface declares methods (a service, not data; class methods are skipped as before). */
  private hasMethods(type: ts.Type): boolean {
    return this.checker.getPropertiesOfType(type).some((p) => {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      return !!decl && ts.isMethodSignature(decl);
    });
  }

  /** A built-in that is not JSON (`Map`, `Set`, ...) among the bases of an interface or class. */
  private nonJsonBase(type: ts.Type): { name: string; reason: string } | undefined {
    const symbol = type.getSymbol();
    if (!symbol || !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    const target =
      (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
        ? (type as ts.TypeReference).target
        : type;
    if (!((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return undefined;
    for (const base of this.checker.getBaseTypes(target as ts.InterfaceType)) {
      const baseSymbol = base.getSymbol();
      const reason =
        baseSymbol && this.isBuiltinSymbol(baseSymbol) ? notJsonReason(baseSymbol.getName()) : undefined;
      if (baseSymbol && reason) return { name: baseSymbol.getName(), reason };
      const deeper = this.nonJsonBase(base);
      if (deeper) return deeper;
    }
    return undefined;
  }

  /** An interface or class extending an array: an array schema, unless it adds members (one diagnostic). */
  private arraySubtype(type: ts.Type, base: ts.TypeReference, path: string): Schema {
    const symbol = type.getSymbol();
    const own = (symbol?.declarations ?? []).some(
      (d) => (ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d)) && d.members.length > 0,
    );
    this.touch(symbol?.declarations?.[0]);
    if (own) {
      return this.problem(
        path,
        `'${symbol?.getName()}' extends an array and adds members, which JSON arrays cannot carry; use ${this.text(base)} or an object with an items property`,
      );
    }
    // The inherited number index gives the element type, instantiated (`List<Tag>` → `Tag`).
    const item = this.checker
      .getIndexInfosOfType(type)
      .find((i) => i.keyType.flags & ts.TypeFlags.Number)?.type;
    return { type: 'array', items: item ? this.convert(item, undefined, `${path}[]`) : {} };
  }

  private isPlainObject(type: ts.Type): boolean {
    if (type.isIntersection()) return !type.types.some((t) => t.flags & PRIMITIVE);
    if (!(type.flags & ts.TypeFlags.Object)) return false;
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) return false;
    const symbol = type.getSymbol();
    if (symbol && this.isLibSymbol(symbol) && symbol.getName() === 'Date') return false;
    if (symbol && this.isBuiltinSymbol(symbol) && notJsonReason(symbol.getName())) return false;
    if (this.arrayBase(type) || this.nonJsonBase(type)) return false;
    return this.checker.getSignaturesOfType(type, ts.SignatureKind.Call).length === 0;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    this.taken.add(name);
    return name;
  }

  /** A named type: always a `$defs` entry, referenced with `$ref` (recursion-safe). */
  private named(type: ts.Type, base: string, body: () => Schema): Schema {
    const known = this.names.get(type);
    if (known) return ref(known);
    const name = this.uniqueName(base);
    this.names.set(type, name);
    this.defs.set(name, {});
    this.defs.set(name, body());
    return ref(name);
  }

  /** Inline, unless the type refers to itself: then it becomes a `$defs` entry. */
  private inlineUnlessRecursive(type: ts.Type, base: string, body: () => Schema): Schema {
    const known = this.names.get(type);
    if (known) return ref(known);
    const open = this.pending.get(type);
    if (open) {
      open.used = true;
      return ref(open.name);
    }
    const entry = { name: this.uniqueName(base), used: false };
    this.pending.set(type, entry);
    const schema = body();
    this.pending.delete(type);
    if (!entry.used) {
      this.taken.delete(entry.name);
      return schema;
    }
    this.names.set(type, entry.name);
    this.defs.set(entry.name, schema);
    return ref(entry.name);
  }

  /** `{ type: 'object', properties, required, additionalProperties }` of an object-like type. */
  objectBody(type: ts.Type, path: string): Schema {
    const properties: Schema = {};
    const required: string[] = [];
    const absent: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      this.touch(decl);
      if (decl && ts.isMethodDeclaration(decl) && ts.isClassLike(decl.parent)) continue;
      if (decl && ts.canHaveModifiers(decl)) {
        const mods = ts.getCombinedModifierFlags(decl as ts.Declaration);
        if (mods & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Static))
          continue;
      }
      const name = prop.getName();
      const at = path ? `${path}.${name}` : name;
      if (name.startsWith('__@') || name.startsWith('#')) {
        this.problem(at, 'symbol-keyed and #private properties are not JSON');
        continue;
      }
      if (decl && (ts.isGetAccessorDeclaration(decl) || ts.isSetAccessorDeclaration(decl))) continue;
      const propType = this.checker.getTypeOfSymbol(prop);
      const typeNode =
        decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
      const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0 || SchemaBuilder.hasUndefined(propType);
      if (optional && isAbsent(propType)) {
        absent.push(name);
        continue;
      }
      const schema = this.convert(propType, typeNode, at);
      const doc = readDoc(decl);
      if (doc.description) schema.description = doc.description;
      for (const message of applyTags(schema, doc.tags)) this.problem(at, message);
      properties[name] = schema;
      if (!optional) required.push(name);
    }
    const additional = this.indexSchema(type, path);
    // `b?: never` (the XOR pattern) means "b is absent": `additionalProperties: false` already
    // says so; beside an index signature it needs its own `not: {}`.
    if (additional !== false) for (const name of absent) properties[name] = { not: {} };
    const schema: Schema = { type: 'object' };
    if (Object.keys(properties).length > 0) schema.properties = properties;
    if (required.length > 0) schema.required = required;
    schema.additionalProperties = additional;
    return schema;
  }

  private indexSchema(type: ts.Type, path: string): Schema | false {
    const infos = this.checker.getIndexInfosOfType(type);
    const info =
      infos.find((i) => i.keyType.flags & ts.TypeFlags.String) ??
      infos.find((i) => i.keyType.flags & (ts.TypeFlags.Number | ts.TypeFlags.TemplateLiteral));
    // `Record<string, never>`: an object with no properties at all.
    if (!info || info.type.flags & ts.TypeFlags.Never) return false;
    return this.convert(info.type, info.declaration?.type, `${path}[key]`);
  }
}

/** The package a symbol's declaration file belongs to (`@types/node`), from its node_modules path. */
function packageOf(symbol: ts.Symbol): string {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '';
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return m?.[1] ? m[1].replace(/\\/g, '/') : 'the TypeScript library';
}

/** The checker's stand-in for a type name it could not resolve (an import of a missing package, a typo). */
function isErrorType(type: ts.Type): boolean {
  return (type as { intrinsicName?: string }).intrinsicName === 'error';
}

/** An optional property that can hold no value (`b?: never`, `b?: undefined`): it must be absent. */
function isAbsent(type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  return members.every(
    (m) => (m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Never | ts.TypeFlags.Void)) !== 0,
  );
}

/** Joins member schemas: plain `{ type }` members merge into a type list, the rest into `anyOf`. */
function mergeUnion(schemas: Schema[]): Schema {
  if (schemas.length === 1) return schemas[0] ?? {};
  const plain = schemas.every((s) => Object.keys(s).length === 1 && typeof s.type === 'string');
  if (plain) return { type: [...new Set(schemas.map((s) => s.type as string))] };
  const nullable =
    schemas.length === 2 && schemas.some((s) => Object.keys(s).length === 1 && s.type === 'null');
  const other = schemas.find((s) => !(Object.keys(s).length === 1 && s.type === 'null'));
  if (nullable && other && typeof other.type === 'string' && Array.isArray(other.enum)) {
    return { ...other, type: [other.type, 'null'], enum: [...other.enum, null] };
  }
  return { anyOf: schemas };
}
