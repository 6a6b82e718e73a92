import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, formatDiagnostics } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { fieldOf, makeAjv, signatureOf, tempProject } from './helpers.js';

// Constructs found by running ts-json-schema-generator's fixture suite through the build step.
const SUPPORTED = `import { InputField, OutputField, Signature } from '@dspy-ts/core';
import type { Point } from 'fake-lib';

export interface Tag {
  name: string;
}
export interface TagArray extends Array<Tag> {}
export interface List<T> extends ReadonlyArray<T> {}
/** An address. @format email */
export type Email = string;
/** @pattern ^[a-z]+$ */
export type Slug = string;
export type Xor = { a: string; b?: never } | { a?: never; b: number };
export interface Open {
  gone?: never;
  [key: string]: string | undefined;
}
export type Empty = Record<string, never>;
export interface Documented {
  /**
   * Made by the factory.
   * @constructor
   * @toString
   */
  kind: string;
}

@Signature()
export class Fixtures {
  @InputField() tags!: TagArray;
  @InputField() list!: List<number>;
  @InputField() email!: Email;
  @InputField() emails!: Email[];
  @InputField() slug!: Slug;
  @InputField() xor!: Xor;
  @InputField() open!: Open;
  @InputField() empty!: Empty;
  @InputField() documented!: Documented;
  @InputField() point!: Point;
  @OutputField() out!: string;
}
`;

const UNSUPPORTED = `import { InputField, OutputField, Signature } from '@dspy-ts/core';
import type { Missing } from 'not-installed';
import type { Emitter, Point } from 'fake-lib';

type R = RegExp;
type U = URL;
interface Tagged extends Array<string> {
  label: string;
}
interface Lookup extends Map<string, number> {}

@Signature()
export class Bad {
  @InputField() r!: R;
  @InputField() u!: U;
  @InputField() tagged!: Tagged;
  @InputField() numbers!: Uint8Array;
  @InputField() format!: Date['toString'];
  @InputField() lookup!: Lookup;
  @InputField() missing!: Missing;
  @InputField() emitter!: Emitter;
  @OutputField() out!: string;
}
`;

let root = '';
let result: BuildResult;

beforeAll(async () => {
  const p = await tempProject({
    'tsconfig.json': JSON.stringify({
      extends: '../tsconfig.base.json',
      compilerOptions: { lib: ['ES2023', 'DOM'] },
      include: ['src'],
    }),
    'src/supported.ts': SUPPORTED,
    'src/unsupported.ts': UNSUPPORTED,
    'node_modules/fake-lib/package.json': JSON.stringify({ name: 'fake-lib', types: 'index.d.ts' }),
    'node_modules/fake-lib/index.d.ts':
      'export interface Emitter {\n  on(event: string): void;\n  off(event: string): void;\n  name: string;\n}\nexport interface Point {\n  x: number;\n  y: number;\n}\n',
  });
  root = p.root;
  result = await build({ project: p.tsconfig, out: join(p.dir, 'out.ts'), cache: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build step: constructs from a schema generator fixture suite', () => {
  it('built-ins that are not JSON get one diagnostic each, with what to use instead', () => {
    expect(formatDiagnostics(result.diagnostics).split('\n')).toEqual([
      'src/unsupported.ts:14:17  Bad.r: RegExp is not JSON; use a string with @pattern or @format regex',
      'src/unsupported.ts:15:17  Bad.u: URL is not JSON; use a string with @format uri',
      "src/unsupported.ts:16:17  Bad.tagged: 'Tagged' extends an array and adds members, which JSON arrays cannot carry; use string[] or an object with an items property",
      'src/unsupported.ts:17:17  Bad.numbers: typed arrays are not JSON; use number[]',
      'src/unsupported.ts:18:17  Bad.format: functions cannot be sent to or produced by a model',
      "src/unsupported.ts:19:17  Bad.lookup: 'Lookup' extends Map: Map is not JSON; use Record<string, T> or an array of entries",
      "src/unsupported.ts:20:17  Bad.missing: the type 'Missing' does not resolve (no declaration found); check its import and that its package is installed",
      "src/unsupported.ts:21:17  Bad.emitter: 'Emitter' (declared in fake-lib) is an object with methods, not JSON data; declare the data it carries as an interface",
    ]);
    expect(formatDiagnostics(result.diagnostics)).not.toContain('[native code]');
  });

  it('JSDoc tags named like Object.prototype members are not keyword tags', () => {
    const schema = fieldOf(signatureOf(result, 'Fixtures'), 'documented').schema as {
      $defs: Record<string, unknown>;
    };
    expect(schema.$defs.Documented).toMatchObject({
      properties: { kind: { type: 'string', description: 'Made by the factory.' } },
    });
  });

  it('a data interface from a package is an object schema', () => {
    expect(fieldOf(signatureOf(result, 'Fixtures'), 'point').schema).toMatchObject({
      $defs: { Point: { type: 'object', required: ['x', 'y'] } },
    });
  });

  it('an interface extending Array<T> or ReadonlyArray<T> is an array of T', () => {
    const sig = signatureOf(result, 'Fixtures');
    expect(fieldOf(sig, 'tags').schema).toMatchObject({ type: 'array', items: { $ref: '#/$defs/Tag' } });
    expect(fieldOf(sig, 'list').schema).toEqual({ type: 'array', items: { type: 'number' } });
  });

  it("a type alias's JSDoc tags apply wherever the alias is used", () => {
    const sig = signatureOf(result, 'Fixtures');
    expect(fieldOf(sig, 'email').schema).toEqual({
      type: 'string',
      format: 'email',
      description: 'An address.',
    });
    expect(fieldOf(sig, 'emails').schema).toMatchObject({ items: { type: 'string', format: 'email' } });
    expect(fieldOf(sig, 'slug').schema).toEqual({ type: 'string', pattern: '^[a-z]+$' });
  });

  it('`b?: never` means the property is absent, and Record<string, never> has no properties', () => {
    const sig = signatureOf(result, 'Fixtures');
    const ajv = makeAjv();
    const xor = ajv.compile(fieldOf(sig, 'xor').schema);
    expect([xor({ a: 'x' }), xor({ b: 1 }), xor({ a: 'x', b: 1 }), xor({})]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const open = ajv.compile(fieldOf(sig, 'open').schema);
    expect([open({ other: 'x' }), open({ gone: 'x' })]).toEqual([true, false]);
    const empty = ajv.compile(fieldOf(sig, 'empty').schema);
    expect([empty({}), empty({ a: 1 })]).toEqual([true, false]);
  });
});
