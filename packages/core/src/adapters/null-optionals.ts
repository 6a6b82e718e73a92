import type { JsonSchema } from '../signature/spec.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The schema a local `$ref` (`#/$defs/X`, `#/definitions/X`) points to, or `schema` itself. */
function resolve(schema: Obj, root: Obj): Obj {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const m = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  const defs = m ? root[m[1] ?? ''] : undefined;
  const target = isObj(defs) ? defs[m?.[2] ?? ''] : undefined;
  return isObj(target) ? target : schema;
}

/** The first `anyOf`/`oneOf` member that describes values of `value`'s shape. */
function memberFor(schema: Obj, value: unknown, root: Obj): Obj | undefined {
  const members = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(members)) return undefined;
  const want = Array.isArray(value) ? 'array' : 'object';
  return members
    .filter(isObj)
    .map((m) => resolve(m, root))
    .find((m) => m.type === want || (Array.isArray(m.type) && m.type.includes(want)));
}

function strip(schemaIn: Obj, value: unknown, root: Obj, depth: number): unknown {
  if (depth > 64 || (!Array.isArray(value) && !isObj(value))) return value;
  const schema = resolve(schemaIn, root);
  const member = memberFor(schema, value, root);
  if (member) return strip(member, value, root, depth + 1);
  if (Array.isArray(value)) {
    const items = schema.items;
    return isObj(items) ? value.map((v) => strip(items, v, root, depth + 1)) : value;
  }
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const extra = isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const out: Obj = {};
  for (const [key, v] of Object.entries(value as Obj)) {
    const sub = isObj(props[key]) ? props[key] : extra;
    if (v === null && Object.hasOwn(props, key) && !required.has(key)) continue;
    out[key] = sub ? strip(sub, v, root, depth + 1) : v;
  }
  return out;
}

/**
 * A copy of `value` without the `null` properties its schema does not require. Strict
 * structured outputs send every optional property, as `null` when it has no value; the field's
 * own schema expects such properties to be absent.
 *
 * @example
 * ```ts
 * dropNullOptionals({ type: 'object', properties: { a: { type: 'string' } } }, { a: null }); // {}
 * ```
 */
export function dropNullOptionals(schema: JsonSchema, value: unknown): unknown {
  return strip(schema as Obj, value, schema as Obj, 0);
}
