import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The repository root (three levels above this file). */
export const REPO = resolve(import.meta.dirname, '..', '..', '..');

const pad = (i: number) => String(i).padStart(3, '0');

/** One source file: a leaf type, an entity that references another file's leaf, and a signature class. */
export function fileText(i: number, count: number): string {
  const other = (i * 7 + 3) % count;
  const id = pad(i);
  const otherId = pad(other);
  const imports = other === i ? '' : `import type { Leaf${otherId} } from './sig-${otherId}.js';\n`;
  const leafRef = other === i ? `Leaf${id}` : `Leaf${otherId}`;
  return `import { InputField, OutputField, Signature } from '@dspy-ts/core';
${imports}
/** A leaf record of file ${i}. */
export interface Leaf${id} {
  /** Stable identifier. */
  id: string;
  /** @minimum 0 */
  weight: number;
}

export type Status${id} = 'open' | 'closed' | 'pending';

/** Entity ${i}, pointing at a record from another file. */
export interface Entity${id} {
  title: string;
  tags: string[];
  status: Status${id};
  related: ${leafRef} | null;
  notes?: string;
}

/** Task ${i}: classify the entity and score its items. */
@Signature()
export class Task${id} {
  /**
   * What the user asked.
   * @minLength 1
   */
  @InputField() query!: string;
  @InputField({ desc: 'the entities to look at' }) items!: Entity${id}[];
  @InputField() context?: ${leafRef};
  @OutputField() label!: 'relevant' | 'irrelevant' | 'unsure';
  /** Score per entity title. */
  @OutputField() scores!: Record<string, number> | null;
}
`;
}

/**
 * Writes a project of `count` signature files into `dir`, resolving `@dspy-ts/core` to the
 * workspace package through a `node_modules` link (as an installed app would).
 */
export async function generateProject(dir: string, count = 300): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'src'), { recursive: true });
  await mkdir(join(dir, 'node_modules', '@dspy-ts'), { recursive: true });
  await symlink(join(REPO, 'packages', 'core'), join(dir, 'node_modules', '@dspy-ts', 'core'), 'dir');
  await symlink(join(REPO, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023', 'ESNext.Disposable', 'ESNext.Decorators'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      customConditions: ['@dspy-ts/source'],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['src'],
  };
  await writeFile(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  await writeFile(
    join(dir, 'package.json'),
    '{ "name": "codegen-bench-app", "private": true, "type": "module" }\n',
  );
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      writeFile(join(dir, 'src', `sig-${pad(i)}.ts`), fileText(i, count)),
    ),
  );
  return join(dir, 'tsconfig.json');
}

/** Rewrites one generated file with one more output field (a one-file change). */
export function changedFileText(i: number, count: number, round: number): string {
  return fileText(i, count).replace(
    '  @OutputField() label!',
    `  /** Added in round ${round}. */\n  @OutputField() extra${round}!: boolean;\n  @OutputField() label!`,
  );
}

/** Path of the i-th generated source file. */
export function sourcePath(dir: string, i: number): string {
  return join(dir, 'src', `sig-${pad(i)}.ts`);
}
