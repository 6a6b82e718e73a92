import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DspyError } from '../../src/errors.js';
import {
  clearManifests,
  InputField,
  manifestSignature,
  manifestTool,
  OutputField,
  registeredManifest,
  registerManifest,
  Signature,
  specOf,
} from '../../src/signature/index.js';
import type { Manifest } from '../../src/signature/manifest.js';
import { manifestOf, mentry, mfield, STRING, STRINGS } from './helpers.js';

beforeEach(() => clearManifests());

@Signature()
class QA {
  @InputField({ desc: 'the question to answer' }) question!: string;
  @InputField() context?: string[];
  @OutputField() answer!: string;
}

@Signature({ instructions: 'Classify the sentiment.' })
class Sentiment {
  @InputField() text!: string;
  @OutputField() label!: 'positive' | 'negative';
}

const qaEntry = mentry(
  'QA',
  [
    mfield('question', 'string', STRING, { description: 'from JSDoc' }),
    mfield('context', 'string[]', STRINGS, { optional: true, description: 'passages' }),
  ],
  [mfield('answer', 'string', STRING, { description: 'often between 1 and 5 words' })],
  { instructions: 'Answer questions with short factoid answers.' },
);

function caught(fn: () => unknown): DspyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DspyError);
    return e as DspyError;
  }
  throw new Error('expected a DspyError');
}

describe('manifest merging', () => {
  it('takes schemas, typeText, optional and JSDoc from the manifest; decorator desc wins', () => {
    registerManifest(manifestOf(qaEntry));
    const spec = specOf(QA);
    expect(spec.name).toBe('QA');
    expect(spec.instructions).toBe('Answer questions with short factoid answers.');
    expect(spec.inputs).toEqual([
      { name: 'question', typeText: 'string', schema: STRING, description: 'the question to answer' },
      { name: 'context', typeText: 'string[]', schema: STRINGS, optional: true, description: 'passages' },
    ]);
    expect(spec.outputs[0]).toEqual({
      name: 'answer',
      typeText: 'string',
      schema: STRING,
      description: 'often between 1 and 5 words',
    });
    expect(spec.hash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('opts.instructions wins over the JSDoc in the manifest', () => {
    const entry = mentry(
      'Sentiment',
      [mfield('text', 'string', STRING)],
      [mfield('label', "'positive' | 'negative'", { type: 'string', enum: ['positive', 'negative'] })],
      { instructions: 'JSDoc text' },
    );
    registerManifest(manifestOf(entry));
    const spec = specOf(Sentiment);
    expect(spec.instructions).toBe('Classify the sentiment.');
    expect(spec.outputs[0]?.schema).toEqual({ type: 'string', enum: ['positive', 'negative'] });
  });

  it('caches specs per class and rebuilds them after a new registration', () => {
    registerManifest(manifestOf(qaEntry));
    const first = specOf(QA);
    expect(specOf(QA)).toBe(first);
    registerManifest(manifestOf({ ...qaEntry, instructions: 'Changed.' }));
    const second = specOf(QA);
    expect(second).not.toBe(first);
    expect(second.instructions).toBe('Changed.');
    expect(second.hash).not.toBe(first.hash);
  });

  it('merges several registrations; the later entry of the same name wins', () => {
    const other = mentry('Other', [], [mfield('x', 'string', STRING)]);
    registerManifest(manifestOf(qaEntry));
    registerManifest(manifestOf(other));
    expect(Object.keys(registeredManifest().signatures).sort()).toEqual(['Other', 'QA']);
    registerManifest(manifestOf({ ...other, instructions: 'v2' }));
    expect(manifestSignature('Other')?.instructions).toBe('v2');
    expect(manifestSignature('QA')).toBeDefined();
    expect(manifestSignature('toString')).toBeUndefined();
  });

  it('stores the registry on globalThis so a second copy of the package agrees', async () => {
    registerManifest(manifestOf(qaEntry));
    const store = (globalThis as Record<symbol, { signatures: Record<string, unknown> }>)[
      Symbol.for('dspy-ts.manifest')
    ];
    expect(store?.signatures.QA).toBe(qaEntry);
    vi.resetModules();
    const specifier = '../../src/signature/registry.js?copy';
    const copy = (await import(specifier)) as typeof import('../../src/signature/registry.js');
    expect(copy.manifestSignature('QA')).toBe(qaEntry);
  });

  it('looks tools up by qualified name and by the name the model sees', () => {
    const manifest: Manifest = {
      version: 1,
      sourceHashes: {},
      signatures: {},
      tools: {
        'Tools.lookup': {
          name: 'Tools.lookup',
          toolName: 'lookup_fact',
          location: 'src/tools.ts:4:3',
          description: 'Finds a fact.',
          params: ['key'],
          parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
        },
      },
    };
    registerManifest(manifest);
    expect(manifestTool('Tools.lookup')?.params).toEqual(['key']);
    expect(manifestTool('lookup_fact')?.name).toBe('Tools.lookup');
    expect(manifestTool('nope')).toBeUndefined();
  });

  it('rejects a manifest of another version or shape', () => {
    const bad = caught(() => registerManifest({ ...manifestOf(), version: 2 } as unknown as Manifest));
    expect(bad.code).toBe('MANIFEST_STALE');
    expect(bad.message).toContain('version 2');
    const badKey = caught(() => registerManifest({ ...manifestOf(), signatures: { X: qaEntry } }));
    expect(badKey.message).toContain("key 'X' differs from its name 'QA'");
  });
});

describe('stale manifests', () => {
  it('names the signature and every differing field', () => {
    const stale = mentry(
      'QA',
      [mfield('question', 'string', STRING), mfield('passages', 'string[]', STRINGS)],
      [mfield('answer', 'string', STRING)],
    );
    registerManifest(manifestOf(stale));
    const err = caught(() => specOf(QA));
    expect(err.code).toBe('MANIFEST_STALE');
    expect(err.message).toContain('signature QA (src/qa.ts:3:1)');
    expect(err.details.fields).toEqual([
      'context (input in the code, absent from the manifest)',
      'passages (input in the manifest, absent from the code)',
    ]);
    expect(err.message).toContain('dspy-ts build');
  });

  it('detects a changed role and a changed order', () => {
    registerManifest(
      manifestOf(
        mentry(
          'QA',
          [mfield('question', 'string', STRING)],
          [mfield('context', 'string[]', STRINGS), mfield('answer', 'string', STRING)],
        ),
      ),
    );
    expect(caught(() => specOf(QA)).details.fields).toEqual([
      'context (input in the code, output in the manifest)',
    ]);
    registerManifest(
      manifestOf(
        mentry(
          'QA',
          [mfield('context', 'string[]', STRINGS), mfield('question', 'string', STRING)],
          [mfield('answer', 'string', STRING)],
        ),
      ),
    );
    expect(caught(() => specOf(QA)).details.fields).toEqual([
      'input order (question, context in the code, context, question in the manifest)',
    ]);
  });

  it('without a manifest entry, non-primitive fields need the build step', () => {
    const err = caught(() => specOf(QA));
    expect(err.code).toBe('SCHEMA_MISSING');
    expect(err.details).toMatchObject({ signature: 'QA', field: 'question' });
    expect(err.details.fix).toContain('dspy-ts build');
    expect(err.details.stale).toBe(false);
  });

  it('names a generated module that lacks the signature as stale (added after the build)', () => {
    registerManifest(
      manifestOf(mentry('Other', [mfield('x', 'string', STRING)], [mfield('y', 'string', STRING)])),
    );
    const err = caught(() => specOf(QA));
    expect(err.code).toBe('SCHEMA_MISSING');
    expect(err.details).toMatchObject({ signature: 'QA', stale: true });
    expect(err.message).toContain('generated module is stale');
    expect(err.message).toContain('not QA');
    expect(err.details.fix).toContain('Re-run `dspy-ts build`');
  });
});

describe('inheritance', () => {
  it('a subclass signature has its base fields first', () => {
    @Signature()
    class Base {
      @InputField() question!: string;
      @OutputField() answer!: string;
    }
    @Signature({ name: 'WithContext' })
    class Derived extends Base {
      @InputField() context!: string;
    }
    registerManifest(
      manifestOf(
        mentry(
          'WithContext',
          [mfield('question', 'string', STRING), mfield('context', 'string', STRING)],
          [mfield('answer', 'string', STRING)],
        ),
      ),
    );
    const spec = specOf(Derived);
    expect(spec.inputs.map((f) => f.name)).toEqual(['question', 'context']);
    expect(spec.outputs.map((f) => f.name)).toEqual(['answer']);
    expect(spec.name).toBe('WithContext');
    expect(caught(() => specOf(Base)).code).toBe('SCHEMA_MISSING');
  });
});
