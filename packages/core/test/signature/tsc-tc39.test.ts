import ts from 'typescript';
import { beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import * as signatures from '../../src/signature/index.js';
import { manifestOf, mentry, mfield, STRING } from './helpers.js';

// vitest compiles TC39 decorators with esbuild; apps built with tsc get TypeScript's own
// lowering (Symbol.metadata, __esDecorate). This runs a source through tsc's transpiler.
const SOURCE = `
import { InputField, OutputField, Signature } from '@dspy-ts/core';

@Signature()
export class Greeting {
  @InputField({ desc: 'who to greet' }) name!: string;
  @OutputField() greeting!: string;
  @InputField() tone!: string;
}

export class Bot {
  @Signature({ instructions: 'Reply kindly.' })
  async reply(message: string): Promise<{ text: string }> {
    throw new Error(message);
  }
}

export function defineBroken() {
  @Signature()
  class Broken {
    @OutputField({ desc: 7 } as never) answer!: string;
  }
  return Broken;
}
`;

function compile(): Record<string, Function> {
  const { outputText } = ts.transpileModule(SOURCE, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  expect(outputText).toContain('__esDecorate');
  const exports: Record<string, Function> = {};
  const require = (id: string) => {
    if (id === '@dspy-ts/core') return signatures;
    throw new Error(`unexpected import ${id}`);
  };
  new Function('exports', 'require', outputText)(exports, require);
  return exports;
}

beforeEach(() => signatures.clearManifests());

describe('TC39 decorators as tsc emits them', () => {
  it('records fields in declaration order and method signatures', async () => {
    const { Greeting, Bot } = compile();
    signatures.registerManifest(
      manifestOf(
        mentry(
          'Greeting',
          [mfield('name', 'string', STRING), mfield('tone', 'string', STRING)],
          [mfield('greeting', 'string', STRING)],
        ),
        mentry('Bot.reply', [mfield('message', 'string', STRING)], [mfield('text', 'string', STRING)], {
          kind: 'method',
        }),
      ),
    );
    const spec = signatures.specOf(Greeting as new () => object);
    expect(spec.inputs.map((f) => [f.name, f.description])).toEqual([
      ['name', 'who to greet'],
      ['tone', undefined],
    ]);
    const bot = Bot as new () => { reply(m: string): Promise<unknown> };
    signatures.setMethodRunner(async (_self, _name, s, args) => ({
      text: `${s.instructions} ${String(args[0])}`,
    }));
    try {
      await expect(new bot().reply('hi')).resolves.toEqual({ text: 'Reply kindly. hi' });
    } finally {
      signatures.setMethodRunner(undefined);
    }
    expect(signatures.signatureMethodsOf(bot).map((m) => m.owner)).toEqual([bot]);
  });

  it('names the class and field in a misuse error', () => {
    const { defineBroken } = compile();
    let err: unknown;
    try {
      (defineBroken as () => unknown)();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).message).toMatch(
      /^@OutputField\(\) on Broken\.answer: option 'desc' must be a string/,
    );
  });
});
