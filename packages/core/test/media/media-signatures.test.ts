import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type Audio,
  DspyError,
  type File,
  type Image,
  type InputsOf,
  signature,
  specOf,
} from '../../src/index.js';

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
