import { ScriptedLM } from '@dspy-ts/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Audio,
  DspyError,
  type File,
  type Image,
  Image as ImageValue,
  type InputsOf,
  Predict,
  signature,
  specOf,
} from '../../src/index.js';
import { png } from './fixtures.js';

describe('media field types in string signatures', () => {
  it('Image, Audio, File and Image[] are marked inputs', () => {
    const spec = specOf('receipt: Image, pages: Image[], clip: Audio, doc: File, question -> total: number');
    const schemas = Object.fromEntries(spec.inputs.map((f) => [f.name, f.schema]));
    expect(schemas.receipt).toEqual({ type: 'object', 'x-dspy-type': 'Image' });
    expect(schemas.pages).toEqual({ type: 'array', items: { type: 'object', 'x-dspy-type': 'Image' } });
    expect(schemas.clip?.['x-dspy-type']).toBe('Audio');
    expect(schemas.doc?.['x-dspy-type']).toBe('File');
  });

  it('types the inputs as the media classes', () => {
    const sig = signature('receipt: Image, pages: Image[], clip: Audio, doc: File -> total: number');
    expectTypeOf<InputsOf<typeof sig>>().toEqualTypeOf<{
      receipt: Image;
      pages: Image[];
      clip: Audio;
      doc: File;
    }>();
  });

  it('a media output is refused with the fix', () => {
    let error: unknown;
    try {
      specOf('prompt -> picture: Image[]');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DspyError);
    expect((error as DspyError).message).toMatch(/'picture: Image\[\]' is an output/);
    expect((error as DspyError).message).toMatch(/move it before ->/);
  });
});

describe('a media input given something that is not media', () => {
  const lm = new ScriptedLM(() => ({ total: 1 }));
  const reader = new Predict('receipt: Image, pages: Image[], clip?: Audio -> total: number', { lm });

  async function problem(inputs: Record<string, unknown>): Promise<DspyError> {
    const err = await reader.forward(inputs as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspyError);
    return err as DspyError;
  }

  it('a path, a URL, bytes or a { url } object is INPUT_INVALID naming the factory, before any call', async () => {
    const image = await ImageValue.fromBytes(png(2, 2));
    const path = await problem({ receipt: 'receipt.png', pages: [] });
    expect(path.code).toBe('INPUT_INVALID');
    expect(path.message).toContain('await Image.fromFile("receipt.png")');
    expect((await problem({ receipt: 'https://x.test/r.png', pages: [] })).message).toContain(
      'Image.fromUrl("https://x.test/r.png")',
    );
    expect((await problem({ receipt: Buffer.from(png(2, 2)), pages: [] })).message).toMatch(
      /'receipt' is .*must be an Image value; make one with await Image\.fromBytes\(bytes\)/,
    );
    expect((await problem({ receipt: { url: 'https://x.test' }, pages: [] })).message).toContain(
      'must be an Image value',
    );
    expect((await problem({ receipt: image, pages: [image, 'p2.png'] })).message).toContain(
      '\'pages\' is "p2.png" at [1]: must be an Image value',
    );
    const wrongKind = await problem({ receipt: image, pages: [], clip: image });
    expect(wrongKind.message).toContain(`'clip' is ${image.textView()}: must be an Audio value`);
    expect(lm.requests).toHaveLength(0);
    expect((await reader.forward({ receipt: image, pages: [image] })).total).toBe(1);
  });
});
