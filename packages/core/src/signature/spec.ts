import { DspyError } from '../errors.js';
import { sha256Hex } from '../runtime/sha256.js';

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON Schema (draft 2020-12) object, as the build step emits it. */
export interface JsonSchema {
  readonly [keyword: string]: JsonValue | undefined;
}

/** Whether a field is read by the model (`input`) or produced by it (`output`). */
export type FieldRole = 'input' | 'output';

/** One field of a signature. */
export interface FieldSpec {
  /** The field's name, as written in the class, method or string. */
  readonly name: string;
  /** JSON Schema of the value; self-contained (carries its own `$defs`). */
  readonly schema: JsonSchema;
  /** What the field means; rendered in prompts after the field's type. */
  readonly description?: string;
  /** A label that DSPy users set (`Answer:`); kept for import/export and custom adapters. */
  readonly prefix?: string;
  /** The TypeScript type as written (`string[]`, `'positive' | 'negative'`, `Ticket`). */
  readonly typeText: string;
  /** True when the field may be absent (`?`, `T | undefined`). */
  readonly optional?: boolean;
}

/** The plain data of a {@link SignatureSpec}. */
export interface SignatureSpecData {
  readonly name: string;
  readonly instructions: string;
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
}

/** Phantom carrier of a signature's input and output types. */
export interface SignatureTypes<I, O> {
  readonly inputs: I;
  readonly outputs: O;
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype', 'completed']);
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function freezeField(field: FieldSpec, where: string): FieldSpec {
  if (!NAME_RE.test(field.name) || RESERVED.has(field.name)) {
    throw new DspyError('SIGNATURE_INVALID', `${where}: field name '${field.name}' is not allowed.`, {
      details: {
        where,
        fix: 'Use an identifier (letters, digits, _) other than __proto__, constructor, prototype or completed.',
      },
    });
  }
  return Object.freeze({ ...field, schema: deepFreeze(structuredClone(field.schema)) });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Canonical JSON: object keys sorted, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** SHA-256 (hex, first 16 chars) of a signature's fields, types and instructions. */
export function hashSignature(data: SignatureSpecData): string {
  const fields = (fs: readonly FieldSpec[]) =>
    fs.map((f) => ({
      name: f.name,
      schema: f.schema,
      description: f.description ?? null,
      optional: !!f.optional,
    }));
  const text = canonicalJson({
    instructions: data.instructions,
    inputs: fields(data.inputs),
    outputs: fields(data.outputs),
  });
  return sha256Hex(text).slice(0, 16);
}

/**
 * The run-time description of one LLM step: its name, instructions and ordered input and
 * output fields with JSON Schemas. Immutable: every `with*` method returns a new spec.
 *
 * `I` and `O` are the TypeScript types of the inputs and outputs (phantom, for inference).
 */
export class SignatureSpec<
  I extends object = Record<string, unknown>,
  O extends object = Record<string, unknown>,
> implements SignatureSpecData
{
  declare readonly __types?: SignatureTypes<I, O>;
  readonly name: string;
  readonly instructions: string;
  readonly inputs: readonly FieldSpec[];
  readonly outputs: readonly FieldSpec[];
  /** Stable hash of fields, types and instructions (see {@link hashSignature}). */
  readonly hash: string;

  constructor(data: SignatureSpecData) {
    const where = `signature ${data.name || '(unnamed)'}`;
    if (data.outputs.length === 0) {
      throw new DspyError('SIGNATURE_INVALID', `${where} has no output fields.`, {
        details: {
          where,
          fix: 'Declare at least one output field (@OutputField(), or `-> answer` in a string signature).',
        },
      });
    }
    const seen = new Set<string>();
    for (const f of [...data.inputs, ...data.outputs]) {
      if (seen.has(f.name)) {
        throw new DspyError('SIGNATURE_INVALID', `${where} declares the field '${f.name}' twice.`, {
          details: { where, fix: 'Give every input and output field a distinct name.' },
        });
      }
      seen.add(f.name);
    }
    this.name = data.name;
    this.instructions = data.instructions;
    this.inputs = Object.freeze(data.inputs.map((f) => freezeField(f, where)));
    this.outputs = Object.freeze(data.outputs.map((f) => freezeField(f, where)));
    this.hash = hashSignature(this);
    Object.freeze(this);
  }

  /** Every field, inputs first. */
  get fields(): readonly FieldSpec[] {
    return [...this.inputs, ...this.outputs];
  }

  /** The field called `name`, or undefined. */
  field(name: string): FieldSpec | undefined {
    return this.inputs.find((f) => f.name === name) ?? this.outputs.find((f) => f.name === name);
  }

  /** A copy with other instructions. */
  withInstructions(instructions: string): SignatureSpec<I, O> {
    return new SignatureSpec<I, O>({ ...this.plain(), instructions });
  }

  /** A copy with another name. */
  withName(name: string): SignatureSpec<I, O> {
    return new SignatureSpec<I, O>({ ...this.plain(), name });
  }

  /**
   * A copy with one more field. `position` is `'start'` or `'end'` (default) of its role's list.
   * Replaces a field of the same name.
   */
  withField<K extends string, T = unknown>(
    role: 'input',
    field: FieldSpec & { name: K },
    position?: 'start' | 'end',
  ): SignatureSpec<I & Record<K, T>, O>;
  withField<K extends string, T = unknown>(
    role: 'output',
    field: FieldSpec & { name: K },
    position?: 'start' | 'end',
  ): SignatureSpec<I, O & Record<K, T>>;
  withField(
    role: FieldRole,
    field: FieldSpec,
    position: 'start' | 'end' = 'end',
  ): SignatureSpec<object, object> {
    const data = this.plain();
    const strip = (fs: readonly FieldSpec[]) => fs.filter((f) => f.name !== field.name);
    const inputs = strip(data.inputs);
    const outputs = strip(data.outputs);
    const list = role === 'input' ? inputs : outputs;
    if (position === 'start') list.unshift(field);
    else list.push(field);
    return new SignatureSpec({ ...data, inputs, outputs });
  }

  /** A copy without the named field. */
  withoutField<K extends string>(name: K): SignatureSpec<Omit<I, K>, Omit<O, K>> {
    const data = this.plain();
    return new SignatureSpec({
      ...data,
      inputs: data.inputs.filter((f) => f.name !== name),
      outputs: data.outputs.filter((f) => f.name !== name),
    });
  }

  /** A copy with one field's description, prefix or schema changed. */
  withUpdatedField(name: string, patch: Partial<Omit<FieldSpec, 'name'>>): SignatureSpec<I, O> {
    if (!this.field(name)) {
      throw new DspyError('SIGNATURE_INVALID', `signature ${this.name} has no field '${name}'.`, {
        details: {
          where: `signature ${this.name}`,
          fix: `Use one of: ${this.fields.map((f) => f.name).join(', ')}.`,
        },
      });
    }
    const upd = (fs: readonly FieldSpec[]) => fs.map((f) => (f.name === name ? { ...f, ...patch } : f));
    const data = this.plain();
    return new SignatureSpec<I, O>({ ...data, inputs: upd(data.inputs), outputs: upd(data.outputs) });
  }

  /** Plain, JSON-safe data of this spec. */
  toJSON(): SignatureSpecData & { hash: string } {
    return { ...this.plain(), hash: this.hash };
  }

  private plain(): { name: string; instructions: string; inputs: FieldSpec[]; outputs: FieldSpec[] } {
    return {
      name: this.name,
      instructions: this.instructions,
      inputs: [...this.inputs],
      outputs: [...this.outputs],
    };
  }
}

/** The input type of a spec. */
export type SpecInputs<S> = S extends SignatureSpec<infer I, object> ? I : never;
/** The output type of a spec. */
export type SpecOutputs<S> = S extends SignatureSpec<object, infer O> ? O : never;
