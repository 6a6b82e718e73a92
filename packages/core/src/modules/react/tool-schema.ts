import 'reflect-metadata/lite';
import { DspyError } from '../../errors.js';
import { manifestTool } from '../../signature/index.js';
import type { ManifestTool } from '../../signature/manifest.js';
import { paramNamesOf } from '../../signature/param-names.js';
import type { JsonSchema, JsonValue } from '../../signature/spec.js';

/** What a tool needs to be shown to a model and called: names, description and argument schema. */
export interface ToolShape {
  readonly description: string;
  /** An object schema over the arguments (`properties`, `required`). */
  readonly parameters: JsonSchema;
  /** Argument names in call order. */
  readonly params: readonly string[];
}

/** Where a tool's schema may come from, in order of preference. @internal */
export interface ShapeSources {
  /** The name the model sees. */
  readonly toolName: string;
  /** Manifest keys to try (`Class.method`, the function name). */
  readonly manifestKeys: readonly string[];
  /** The function that runs (its parameter names, and its arity when it has none). */
  readonly fn: Function;
  readonly desc?: string;
  readonly parameters?: JsonSchema;
  /** `design:paramtypes` of a decorated method, when the compiler emitted them. */
  readonly paramTypes?: readonly unknown[];
}

const PRIMITIVES = new Map<unknown, { [k: string]: JsonValue }>([
  [String, { type: 'string' }],
  [Number, { type: 'number' }],
  [Boolean, { type: 'boolean' }],
]);

/** The `design:paramtypes` tsc recorded for a decorated method, if any. @internal */
export function designParamTypes(target: object, key: string): readonly unknown[] | undefined {
  const types: unknown = Reflect.getMetadata('design:paramtypes', target, key);
  return Array.isArray(types) ? types : undefined;
}

function fromManifest(entry: ManifestTool, desc: string | undefined): ToolShape {
  return { description: desc ?? entry.description, parameters: entry.parameters, params: entry.params };
}

function propertyNames(schema: JsonSchema): string[] {
  const props = schema.properties;
  return props && typeof props === 'object' && !Array.isArray(props) ? Object.keys(props) : [];
}

function missing(src: ShapeSources, why: string): DspyError {
  const where = `tool '${src.toolName}'`;
  return new DspyError('SCHEMA_MISSING', `${where}: no JSON Schema for its arguments (${why}).`, {
    details: {
      where,
      fix: 'Run `dspy-ts build` and import the generated module once at start-up, or pass { parameters } (an object JSON Schema) to tool(fn, ...).',
    },
  });
}

function fromParamTypes(src: ShapeSources, types: readonly unknown[]): ToolShape {
  const names = paramNamesOf(src.fn, `tool '${src.toolName}'`);
  const properties: Record<string, JsonValue> = {};
  const required: string[] = [];
  names.forEach((p, i) => {
    const schema = PRIMITIVES.get(types[i]);
    if (!schema || p.rest) {
      throw missing(src, `parameter '${p.name}' is not a string, number or boolean`);
    }
    properties[p.name] = { ...schema };
    if (!p.hasDefault) required.push(p.name);
  });
  return {
    description: src.desc ?? '',
    parameters: { type: 'object', properties, required },
    params: names.map((p) => p.name),
  };
}

/**
 * Works out a tool's description and argument schema: from the build step's manifest, else
 * `parameters` given in code, else primitive parameter types recorded by the compiler, else
 * (for a function without parameters) an empty object schema. Anything else is `SCHEMA_MISSING`.
 * @internal
 */
export function resolveToolShape(src: ShapeSources): ToolShape {
  for (const key of src.manifestKeys) {
    const entry = manifestTool(key);
    if (entry) return fromManifest(entry, src.desc);
  }
  if (src.parameters) {
    if (src.parameters.type !== 'object') {
      throw new DspyError(
        'TOOL_ERROR',
        `tool '${src.toolName}': parameters must be an object JSON Schema (type: 'object').`,
        {
          details: {
            where: `tool '${src.toolName}'`,
            fix: "Pass { parameters: { type: 'object', properties: { ... }, required: [...] } }.",
          },
        },
      );
    }
    return { description: src.desc ?? '', parameters: src.parameters, params: propertyNames(src.parameters) };
  }
  if (src.paramTypes) return fromParamTypes(src, src.paramTypes);
  if (src.fn.length === 0 && paramNamesOf(src.fn, `tool '${src.toolName}'`).length === 0) {
    return { description: src.desc ?? '', parameters: { type: 'object', properties: {} }, params: [] };
  }
  throw missing(src, 'no build-step manifest entry');
}
