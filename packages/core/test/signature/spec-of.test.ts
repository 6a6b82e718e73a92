import { beforeEach, describe, expect, it } from 'vitest';
import { DspyError } from '../../src/errors.js';
import {
  clearManifests,
  InputField,
  isSignatureSpec,
  manifestSignature,
  OutputField,
  registerManifest,
  Signature,
  signature,
  specOf,
} from '../../src/signature/index.js';
import { SignatureSpec } from '../../src/signature/spec.js';
import { manifestOf, mentry, mfield, STRING } from './helpers.js';

@Signature()
class Echo {
  @InputField() text!: string;
  @OutputField() echo!: string;
}

class Service {
  @Signature()
  async shout(text: string): Promise<{ loud: string }> {
    throw new Error(text);
  }
}

beforeEach(() => {
  clearManifests();
  registerManifest(
    manifestOf(
      mentry('Echo', [mfield('text', 'string', STRING)], [mfield('echo', 'string', STRING)]),
      mentry('Service.shout', [mfield('text', 'string', STRING)], [mfield('loud', 'string', STRING)], {
        kind: 'method',
      }),
    ),
  );
});

function invalid(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    expect((e as DspyError).code).toBe('SIGNATURE_INVALID');
    return e as DspyError;
  }
  throw new Error('expected SIGNATURE_INVALID');
}

describe('specOf', () => {
  it('accepts a signature class', () => {
    const spec = specOf(Echo);
    expect(spec).toBeInstanceOf(SignatureSpec);
    expect(spec.toJSON()).toMatchObject({ name: 'Echo', instructions: '', hash: spec.hash });
    // Nothing overrides the manifest here, so the run-time hash is the build step's.
    expect(spec.hash).toBe(manifestSignature('Echo')?.hash);
  });

  it('accepts a decorated method, directly or by class and name', () => {
    const byClass = specOf(Service, 'shout');
    expect(byClass.name).toBe('Service.shout');
    expect(specOf(Service.prototype.shout)).toBe(byClass);
  });

  it('accepts a string, a spec and a predictor', () => {
    const fromString = specOf('text -> echo');
    expect(fromString.inputs.map((f) => f.name)).toEqual(['text']);
    const spec = signature('a -> b');
    expect(specOf(spec)).toBe(spec);
    const predictor = { isPredictor: true as const, signature: spec };
    expect(specOf(predictor)).toBe(spec);
  });

  it('recognises a spec made by another copy of the package', () => {
    const foreign = { ...specOf(Echo).toJSON(), withInstructions: () => foreign };
    expect(isSignatureSpec(foreign)).toBe(true);
    expect(isSignatureSpec({ name: 'x' })).toBe(false);
  });

  it('explains what it cannot use', () => {
    expect(invalid(() => specOf(42 as never)).message).toContain('cannot make a signature from number');
    class Plain {
      x = 1;
    }
    expect(invalid(() => specOf(Plain)).message).toContain(
      'specOf(Plain): the class has no @Signature() decorator',
    );
    expect(invalid(() => specOf(Service, 'missing' as never)).message).toContain(
      'Service.missing is not a @Signature() method',
    );
    expect(invalid(() => specOf({} as never, 'shout' as never)).message).toContain('expected a class first');
    expect(invalid(() => specOf((async () => 1) as never)).message).toContain('not a @Signature() method');
  });
});
