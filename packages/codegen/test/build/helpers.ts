import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldSpec, ManifestSignature } from '@dspy-ts/core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { build } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';

/** Absolute path of the fixture corpus. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Builds a fixture project without the cache, writing the generated module to a temp file. */
export async function buildFixture(name: string): Promise<BuildResult> {
  const dir = await mkdtemp(join(tmpdir(), 'dspy-codegen-'));
  try {
    return await build({
      project: join(FIXTURES, name, 'tsconfig.json'),
      out: join(dir, 'out.ts'),
      cache: false,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies a fixture project (and the stand-in core it points to) into a temp dir; returns its tsconfig. */
export async function copyFixture(name: string): Promise<{ root: string; tsconfig: string; dir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'dspy-codegen-'));
  await cp(join(FIXTURES, '_core'), join(root, '_core'), { recursive: true });
  await cp(join(FIXTURES, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  await cp(join(FIXTURES, name), join(root, name), { recursive: true });
  return { root, dir: join(root, name), tsconfig: join(root, name, 'tsconfig.json') };
}

/** The signature called `name`; fails the test when missing. */
export function signatureOf(result: BuildResult, name: string): ManifestSignature {
  const found = result.signatures.find((s) => s.name === name);
  if (!found) throw new Error(`no signature ${name} in ${result.signatures.map((s) => s.name).join(', ')}`);
  return found;
}

/** A field of a signature by name. */
export function fieldOf(sig: ManifestSignature, name: string): FieldSpec {
  const found = [...sig.inputs, ...sig.outputs].find((f) => f.name === name);
  if (!found) throw new Error(`no field ${name} in ${sig.name}`);
  return found;
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * A strict draft 2020-12 validator with the standard formats. Type lists (`['string', 'null']`)
 * and open-ended tuples (optional elements) are valid JSON Schema that ajv's strict mode only
 * warns about, so those two checks are relaxed.
 */
export function makeAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, strictTuples: false });
  addFormats(ajv);
  ajv.addKeyword('x-dspy-type');
  return ajv;
}

/**
 * Writes a throw-away project beside a copy of the stand-in core (`../_core`, reachable through
 * `../tsconfig.base.json`); `files` maps project-relative paths to their text. Returns the
 * project directory and the path of its `tsconfig.json`.
 */
export async function tempProject(
  files: Record<string, string>,
): Promise<{ root: string; dir: string; tsconfig: string }> {
  const root = await mkdtemp(join(tmpdir(), 'dspy-codegen-'));
  await cp(join(FIXTURES, '_core'), join(root, '_core'), { recursive: true });
  await cp(join(FIXTURES, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  const dir = join(root, 'app');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return { root, dir, tsconfig: join(dir, 'tsconfig.json') };
}

/** A minimal signature class importing its decorators from `from`. */
export function qaSource(from = '@dspy-ts/core'): string {
  return `import { InputField, OutputField, Signature } from '${from}';

@Signature()
export class QA {
  @InputField() question!: string;
  @OutputField() answer!: string;
}
`;
}
