import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, formatDiagnostics } from '../../src/index.js';
import type { BuildResult } from '../../src/types.js';
import { fieldOf, signatureOf, tempProject } from './helpers.js';

const READER = `import { Audio, File, Image, InputField, OutputField, Signature } from '@dspy-ts/core';

@Signature()
export class Reader {
  @InputField() receipt!: Image;
  @InputField() pages!: Image[];
  @InputField() attachment!: { doc: File; memo?: Audio };
  @OutputField() total!: number;
}

export class Methods {
  @Signature()
  async listen(clip: Audio, question: string): Promise<{ answer: string }> {
    throw new Error('run by the LM');
  }
}
`;

const MISUSED = `import { Image, InputField, OutputField, Signature } from '@dspy-ts/core';

@Signature()
export class Drawer {
  @InputField() prompt!: string;
  @OutputField() picture!: Image;
}
`;

let root = '';
let result: BuildResult;

beforeAll(async () => {
  const tsconfig = JSON.stringify({ extends: '../tsconfig.base.json', include: ['src'] });
  const a = await tempProject({
    'tsconfig.json': tsconfig,
    'src/reader.ts': READER,
    'src/misused.ts': MISUSED,
  });
  root = a.root;
  result = await build({ project: a.tsconfig, out: join(a.dir, 'out.ts'), cache: false });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build step: Image, Audio and File', () => {
  it('marks media inputs, alone, in arrays and inside objects', () => {
    const reader = signatureOf(result, 'Reader');
    expect(fieldOf(reader, 'receipt').schema).toEqual({ type: 'object', 'x-dspy-type': 'Image' });
    expect(fieldOf(reader, 'pages').schema).toEqual({
      type: 'array',
      items: { type: 'object', 'x-dspy-type': 'Image' },
    });
    const attachment = JSON.stringify(fieldOf(reader, 'attachment').schema);
    expect(attachment).toContain('"x-dspy-type":"File"');
    expect(attachment).toContain('"x-dspy-type":"Audio"');
  });

  it('marks a media parameter of a method signature', () => {
    const listen = result.signatures.find((s) => s.name.includes('listen'));
    expect(listen && fieldOf(listen, 'clip').schema['x-dspy-type']).toBe('Audio');
  });

  it('an Image output is a located diagnostic that says media are inputs', () => {
    const text = formatDiagnostics(result.diagnostics);
    expect(text).toMatch(
      /misused\.ts:\d+:\d+ +Drawer\.picture: Image \(from @dspy-ts\/core\) is media a model reads/,
    );
  });
});
