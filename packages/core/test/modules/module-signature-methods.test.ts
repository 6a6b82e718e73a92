import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Module, methodPredictor, registerManifest, Signature } from '../../src/index.js';
import { clearManifests, isModule } from '../../src/internal.js';
import { manifestOf, mentry, mfield, STRING } from '../signature/helpers.js';

// As docs/signatures.md shows it: a plain class of @Signature() methods only, made a module.
@Module()
class Desk {
  /** Write a short, polite reply to a customer. */
  @Signature()
  async reply(message: string): Promise<{ text: string }> {
    throw new Error(`replaced by @Signature(): ${message}`);
  }
}

const replyEntry = mentry(
  'Desk.reply',
  [mfield('message', 'string', STRING)],
  [mfield('text', 'string', STRING)],
  {
    kind: 'method',
    instructions: 'Write a short, polite reply to a customer.',
  },
);

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
beforeEach(() => {
  clearManifests();
  registerManifest(manifestOf(replyEntry));
});

describe('@Module() on a class of only @Signature() methods', () => {
  it('is a module whose method predictors save and load', async () => {
    const desk = new Desk() as Desk & Module;
    expect(isModule(desk)).toBe(true);
    expect(desk.namedPredictors().map(([path]) => path)).toEqual(['reply']);
    const demo = { message: 'Is the shop open on Sunday?', text: 'Yes, 10:00 to 16:00.' };
    methodPredictor(desk, 'reply').demos = [demo];
    const dir = await mkdtemp(join(tmpdir(), 'dspy-ts-desk-'));
    dirs.push(dir);
    await desk.save(join(dir, 'desk.json'));

    const loaded = new Desk() as Desk & Module;
    await loaded.load(join(dir, 'desk.json'));
    expect(methodPredictor(loaded, 'reply').demos).toEqual([demo]);
    const viaStatic = (await (Desk as unknown as typeof Module).load(join(dir, 'desk.json'))) as Desk &
      Module;
    expect(methodPredictor(viaStatic, 'reply').demos).toEqual([demo]);
  });

  it('still refuses a class with neither forward() nor a signature method', () => {
    expect(() => Module()(class Empty {})).toThrow(/no forward\(\) method and no @Signature\(\) method/);
  });
});
