import type { FieldSpec, SignatureSpec } from '../signature/spec.js';
import { canonicalJson, type JsonSchema, type JsonValue } from '../signature/spec.js';
import type { SpecLayout } from './layout.js';

/** The outputs' JSON Schema as one object, and whether it meets strict structured outputs. */
export interface OutputSchema {
  readonly name: string;
  readonly schema: JsonSchema;
  /** False when some part cannot be strict (open-ended maps): send it with `strict: false`. */
  readonly strict: boolean;
}

type Obj = { [key: string]: JsonValue };
/**
 * Keywords left out of the request schema: annotations, and value constraints that strict
 * structured outputs reject. Dropping a constraint is safe: the answer is still validated
 * against the field's full schema after parsing.
 */
const DROP = new Set([
  '$schema',
  '$id',
  '$comment',
  'default',
  'examples',
  'minLength',
  'maxLength',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'contains',
  'minContains',
  'maxContains',
  'propertyNames',
]);
/** Keywords strict structured outputs cannot express: the schema is then sent with `strict: false`. */
const NOT_STRICT = new Set([
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'prefixItems',
]);
/** String formats strict structured outputs accept; other formats are left out (and still validated). */
const STRICT_FORMATS = new Set([
  'date-time',
  'time',
  'date',
  'duration',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'uuid',
]);
/** Keywords that give a schema a shape; a schema with none of them (`{}`, unknown) cannot be strict. */
const SHAPED = ['type', 'anyOf', 'oneOf', '$ref', 'enum', 'const'];
const SCHEMA_MAPS = ['properties', '$defs', 'definitions'];
const SCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SCHEMA_ONE = ['items', 'not', 'additionalProperties'];

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Rewrites `#/$defs/a` references by `renames`. */
function renameRefs(node: JsonValue, renames: ReadonlyMap<string, string>): JsonValue {
  if (Array.isArray(node)) return node.map((n) => renameRefs(n, renames));
  if (!isObj(node)) return node;
  const out: Obj = {};
  for (const [k, v] of Object.entries(node)) {
    const target = k === '$ref' && typeof v === 'string' ? renames.get(v) : undefined;
    out[k] = target ?? renameRefs(v, renames);
  }
  return out;
}

interface Walk {
  strict: boolean;
}

function nullable(schema: JsonValue): JsonValue {
  return { anyOf: [schema, { type: 'null' }] };
}

/** A copy of `node` with every object closed and every property required (optional ones nullable). */
function strictify(node: JsonValue, walk: Walk): JsonValue {
  if (!isObj(node)) return node;
  const out: Obj = {};
  if (!SHAPED.some((k) => k in node)) walk.strict = false;
  for (const [k, v] of Object.entries(node)) {
    // `x-` keywords (the `x-dspy-type` marker of `Code` and `Reasoning` fields) are annotations.
    if (
      DROP.has(k) ||
      k.startsWith('x-') ||
      (k === 'format' && typeof v === 'string' && !STRICT_FORMATS.has(v))
    )
      continue;
    if (NOT_STRICT.has(k)) walk.strict = false;
    if (k === 'oneOf' && Array.isArray(v)) out.anyOf = v.map((s) => strictify(s, walk));
    else if (SCHEMA_MAPS.includes(k) && isObj(v)) {
      const map: Obj = {};
      for (const [name, sub] of Object.entries(v)) map[name] = strictify(sub, walk);
      out[k] = map;
    } else if (SCHEMA_LISTS.includes(k) && Array.isArray(v)) out[k] = v.map((s) => strictify(s, walk));
    else if (SCHEMA_ONE.includes(k) && isObj(v)) out[k] = strictify(v, walk);
    else out[k] = v;
  }
  const isObjectType = out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object'));
  if (isObj(out.properties)) {
    const required = new Set(Array.isArray(out.required) ? out.required : []);
    const props: Obj = {};
    for (const [name, sub] of Object.entries(out.properties))
      props[name] = required.has(name) ? sub : nullable(sub);
    out.properties = props;
    out.required = Object.keys(props);
    if (isObj(out.additionalProperties) || out.additionalProperties === true) walk.strict = false;
    out.additionalProperties = false;
  } else if (isObjectType) walk.strict = false;
  return out;
}

/** Hoists every field's `$defs` to the root, renaming clashes, and returns the fields' schemas. */
function hoistDefs(fields: readonly FieldSpec[]): { props: Obj; defs: Obj } {
  const defs: Obj = {};
  const props: Obj = {};
  for (const field of fields) {
    const { $defs, ...rest } = field.schema as Obj;
    const own = isObj($defs) ? Object.entries($defs) : [];
    const renames = new Map<string, string>();
    for (const [name, def] of own) {
      const clash = defs[name] !== undefined && canonicalJson(defs[name]) !== canonicalJson(def);
      if (clash) renames.set(`#/$defs/${name}`, `#/$defs/${field.name}_${name}`);
    }
    for (const [name, def] of own) {
      const target = renames.get(`#/$defs/${name}`)?.slice('#/$defs/'.length) ?? name;
      defs[target] = renames.size > 0 ? renameRefs(def, renames) : def;
    }
    props[field.name] = renames.size > 0 ? renameRefs(rest, renames) : rest;
  }
  return { props, defs };
}

/**
 * One JSON Schema for all output fields, in order, shaped for OpenAI-style strict structured
 * outputs: every object closed (`additionalProperties: false`) with every property required,
 * optional ones made nullable, `$defs` hoisted to the root, `oneOf` sent as `anyOf`, and value
 * constraints strict mode rejects (`minLength`, `uniqueItems`, unknown formats, ...) left out.
 * Open-ended maps, untyped values and keywords such as `allOf` or `prefixItems` make it
 * `strict: false`.
 *
 * @example
 * ```ts
 * const { schema, strict } = outputSchemaOf(spec);
 * ```
 */
export function outputSchemaOf(spec: SignatureSpec<object, object>): OutputSchema {
  const cached = cache.get(spec);
  if (cached) return cached;
  const result = schemaOfFields(spec.name, spec.outputs);
  cache.set(spec, result);
  return result;
}

/** The JSON list a text-mode `ToolCalls` output is written as: `[{ name, args }]`. */
const TOOL_CALL_LIST: JsonSchema = Object.freeze({
  type: 'array',
  items: {
    type: 'object',
    properties: { name: { type: 'string' }, args: { type: 'object' } },
    required: ['name', 'args'],
  },
});

/**
 * {@link outputSchemaOf} for an adapter's layout: the `ToolCalls` output is left out with
 * native tool calls (the calls come through function calling), and is the JSON list of
 * `{ name, args }` in text mode.
 */
export function layoutSchemaOf(spec: SignatureSpec<object, object>, layout: SpecLayout): OutputSchema {
  const calls = layout.calls;
  if (!calls) return outputSchemaOf(spec);
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const fields = layout.native
    ? layout.outputs.map((fk) => fk.field)
    : layout.allOutputs.map((fk) => (fk === calls ? { ...fk.field, schema: TOOL_CALL_LIST } : fk.field));
  const result = schemaOfFields(spec.name, fields);
  layoutCache.set(layout, result);
  return result;
}

function schemaOfFields(specName: string, fields: readonly FieldSpec[]): OutputSchema {
  const { props, defs } = hoistDefs(fields);
  const required = fields.filter((f) => !f.optional).map((f) => f.name);
  const root: Obj = { type: 'object', properties: props, required, additionalProperties: false };
  if (Object.keys(defs).length > 0) root.$defs = defs;
  const walk: Walk = { strict: true };
  const schema = strictify(root, walk) as JsonSchema;
  const name = specName.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'outputs';
  return Object.freeze({ name, schema, strict: walk.strict });
}

const cache = new WeakMap<SignatureSpec<object, object>, OutputSchema>();
const layoutCache = new WeakMap<SpecLayout, OutputSchema>();
