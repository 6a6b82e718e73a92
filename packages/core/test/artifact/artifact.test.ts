import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACT_SCHEMA,
  applyArtifact,
  DspyError,
  datasetFingerprint,
  Example,
  loadArtifact,
  saveProgram,
  silentLogger,
  toArtifact,
  validateArtifact,
  withSettings,
} from '@dspy-ts/core';
import { parseArtifact } from '@dspy-ts/core/internal';
import { beforeEach, describe, expect, it } from 'vitest';
import { leakyLM, QA } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dspy-artifact-'));
});

function compiled(): QA {
  const qa = new QA();
  qa.retrieve.loadState({ ...qa.retrieve.dumpState(), instructions: 'Write a search query.' });
  qa.answer.loadState({
    ...qa.answer.dumpState(),
    demos: [{ question: 'q1', context: 'c1', answer: 'a1', augmented: true }],
    fields: { answer: { description: 'a short answer', prefix: 'Answer:' } },
  });
  return qa;
}

/** The compiled program, with one demo whose answer is `answer`. */
function withDemoAnswer(answer: unknown): QA {
  const qa = compiled();
  qa.answer.loadState({ ...qa.answer.dumpState(), demos: [{ question: 'q1', context: 'c1', answer }] });
  return qa;
}

async function codeOf(p: Promise<unknown>): Promise<DspyError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DspyError);
  return err as DspyError;
}

describe('artifact round trip', () => {
  it('save → load → apply gives the same state', async () => {
    const qa = compiled();
    const path = join(dir, 'qa.artifact.json');
    await saveProgram(qa, path, {
      provenance: {
        optimizer: { name: 'BootstrapFewShot', options: { maxBootstrappedDemos: 4 } },
        metric: 'exactMatch',
        trainset: datasetFingerprint([new Example({ q: 1 })]),
        scores: { baseline: 40, best: 60 },
        seed: 7,
        report: { trials: [{ score: 60 }] },
      },
    });
    const fresh = new QA();
    const report = applyArtifact(fresh, await loadArtifact(path));
    expect(report.applied).toEqual(['retrieve', 'answer']);
    expect(fresh.retrieve.dumpState()).toEqual(qa.retrieve.dumpState());
    expect(fresh.answer.dumpState()).toEqual(qa.answer.dumpState());
    expect(fresh.answer.signature.field('answer')?.description).toBe('a short answer');
    const json = JSON.parse(await readFile(path, 'utf8'));
    expect(json).toMatchObject({
      format: 'dspy-ts.artifact',
      formatVersion: 1,
      program: 'QA',
      provenance: {
        metric: 'exactMatch',
        seed: 7,
        report: { trials: [{ score: 60 }] },
        trainset: { size: 1 },
      },
    });
    expect(json.provenance.versions['@dspy-ts/core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(Date.parse(json.provenance.createdAt)).not.toBeNaN();
  });

  it('publishes the schema and validates objects against it', async () => {
    const published = JSON.parse(
      await readFile(new URL('../../src/artifact/artifact.schema.json', import.meta.url), 'utf8'),
    );
    expect(ARTIFACT_SCHEMA).toEqual(published);
    expect(ARTIFACT_SCHEMA.title).toContain('artifact');
    const artifact = toArtifact(compiled(), { name: 'MyQA' });
    expect(artifact.program).toBe('MyQA');
    expect(() => validateArtifact(artifact)).not.toThrow();
  });

  it('fingerprints datasets by content', () => {
    const a = datasetFingerprint([new Example({ q: 1, a: 2 })]);
    const b = datasetFingerprint([new Example({ a: 2, q: 1 })]);
    const c = datasetFingerprint([new Example({ q: 2, a: 2 })]);
    expect(a).toEqual(b);
    expect(a.hash).not.toBe(c.hash);
  });
});

describe('artifact load errors', () => {
  it('names a missing file', async () => {
    const err = await codeOf(loadArtifact(join(dir, 'nope.json')));
    expect(err.code).toBe('ARTIFACT_IO');
    expect(err.message).toContain('nope.json');
    expect(err.message).toContain('does not exist');
  });

  it('lists every predictor mismatch in one error', async () => {
    const artifact = toArtifact(compiled());
    const drifted = new QA(true);
    const other = {
      answer: drifted.answer,
      rerank: drifted.retrieve,
      namedPredictors: () => [
        ['answer', drifted.answer],
        ['rerank', drifted.retrieve],
      ],
    };
    const err = await codeOf(Promise.resolve().then(() => applyArtifact(other, artifact)));
    expect(err.code).toBe('ARTIFACT_MISMATCH');
    expect(err.message).toContain("predictor 'retrieve' is in the artifact but not in the program");
    expect(err.message).toContain("predictor 'rerank' is in the program but not in the artifact");
    expect(err.message).toContain("predictor 'answer': the artifact was compiled for signature Answer#");
    expect(err.message).toContain('3 problems');
    expect(drifted.answer.demos).toEqual([]);
  });

  it('suggests allowSignatureDrift for hash mismatches, which then loads with warnings', () => {
    const artifact = toArtifact(compiled());
    const drifted = new QA(true);
    let err: unknown;
    try {
      applyArtifact(drifted, artifact);
    } catch (e) {
      err = e;
    }
    expect((err as DspyError).message).toContain('allowSignatureDrift: true');
    const report = withSettings({ logger: silentLogger }, () =>
      applyArtifact(drifted, artifact, { allowSignatureDrift: true }),
    );
    expect(report.warnings).toHaveLength(1);
    expect(drifted.answer.demos).toHaveLength(1);
  });

  it('reports corrupt JSON with the file, line and column', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{\n  "format": "dspy-ts.artifact",\n  "program": oops\n}');
    const err = await codeOf(loadArtifact(path));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain('broken.json');
    expect(err.message).toMatch(/line 3, column \d+/);
    expect(err.details.where).toMatch(/broken\.json:3:\d+/);
  });

  it('reports a truncated file', async () => {
    const path = join(dir, 'cut.json');
    const full = JSON.stringify(toArtifact(compiled()));
    await writeFile(path, full.slice(0, full.length / 2));
    const err = await codeOf(loadArtifact(path));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain('not valid JSON');
  });

  it('lists schema violations', async () => {
    const bad = { ...toArtifact(compiled()), formatVersion: 3, extra: true };
    const err = await codeOf(loadArtifact(bad));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain('/formatVersion: must be one of 1, 2');
    expect(err.message).toContain("unknown property 'extra'");
    const noDemos = JSON.parse(JSON.stringify(toArtifact(compiled())));
    delete noDemos.predictors.answer.demos;
    expect((await codeOf(loadArtifact(noDemos))).message).toContain(
      "/predictors/answer: must have required property 'demos'",
    );
    const badPath = JSON.parse(JSON.stringify(toArtifact(compiled())));
    badPath.predictors['a..b'] = badPath.predictors.answer;
    expect((await codeOf(loadArtifact(badPath))).message).toContain('/predictors: must match pattern');
  });

  it('rejects __proto__ keys at any depth, so none ever sets a prototype', async () => {
    const path = join(dir, 'proto.json');
    const text = JSON.stringify(toArtifact(compiled())).replace(
      '"demos":[{',
      '"demos":[{"__proto__":{"polluted":true},',
    );
    await writeFile(path, text);
    const err = await codeOf(loadArtifact(path));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain("'__proto__' at /predictors/answer/demos/0/__proto__");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const nested = JSON.stringify(toArtifact(compiled())).replace(
      '"answer":"a1"',
      '"answer":{"constructor":{"prototype":{"__proto__":{"polluted":true}}}}',
    );
    const deep = await codeOf(Promise.resolve().then(() => parseArtifact(nested, 'nested.json')));
    expect(deep.details.where).toBe(
      'nested.json#/predictors/answer/demos/0/answer/constructor/prototype/__proto__',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await expect(
      saveProgram(withDemoAnswer(JSON.parse('{"__proto__":{"polluted":true}}')), path),
    ).rejects.toThrow(/'__proto__' at \/predictors\/answer\/demos\/0\/answer\/__proto__/);
  });

  it('keeps constructor and prototype keys of demo values as data through save and load', async () => {
    const answer = { constructor: 'Foo', prototype: { constructor: 'Bar', prototype: null } };
    const path = join(dir, 'keys.json');
    await saveProgram(withDemoAnswer(answer), path);
    const fresh = new QA();
    applyArtifact(fresh, await loadArtifact(path));
    const loaded = fresh.answer.demos[0]?.answer as Record<string, unknown>;
    expect(loaded).toEqual(answer);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(Object.hasOwn(loaded, 'constructor')).toBe(true);
    const obj = JSON.parse(JSON.stringify(toArtifact(compiled())));
    obj.predictors.answer.demos[0].constructor = { prototype: {} };
    const demo = (await loadArtifact(obj)).predictors.answer?.demos[0] as Record<string, unknown>;
    expect(Object.hasOwn(demo, 'constructor') && demo.constructor).toEqual({ prototype: {} });
  });

  it('refuses data nested too deep with ARTIFACT_INVALID saying where, never a RangeError', async () => {
    const levels = 200_000;
    const path = join(dir, 'deep.json');
    const text = JSON.stringify(toArtifact(compiled())).replace(
      '"answer":"a1"',
      `"answer":${'['.repeat(levels)}${']'.repeat(levels)}`,
    );
    await writeFile(path, text);
    const fromFile = await codeOf(loadArtifact(path));
    expect(fromFile.code).toBe('ARTIFACT_INVALID');
    expect(fromFile.message).toContain('nested more than 256 levels deep at 1:');
    expect(fromFile.details.where).toMatch(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+$`),
    );

    let value: unknown = 'bottom';
    for (let i = 0; i < levels; i++) value = [value];
    const obj = JSON.parse(JSON.stringify(toArtifact(compiled())));
    obj.predictors.answer.demos[0].answer = value;
    const fromObject = await codeOf(loadArtifact(obj));
    expect(fromObject.code).toBe('ARTIFACT_INVALID');
    expect(fromObject.details.where).toMatch(
      /^artifact object#\/predictors\/answer\/demos\/0\/answer\/0\/0\/.*…$/,
    );
    const saving = await codeOf(saveProgram(withDemoAnswer(value), join(dir, 'deep-out.json')));
    expect(saving.message).toContain('nested more than 256 levels deep');
  });

  it('points a DSPy state file at importDspyState', async () => {
    const err = await codeOf(loadArtifact({ 'generate.predict': {}, metadata: { dependency_versions: {} } }));
    expect(err.message).toContain('importDspyState');
  });
});

describe('secrets', () => {
  it('strips secret keys and key-looking values from LM settings on save', async () => {
    const qa = compiled();
    qa.answer.lm = leakyLM();
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warnings.push(m) };
    const path = join(dir, 'safe.json');
    await withSettings({ lm: leakyLM(), logger }, () => saveProgram(qa, path));
    const text = await readFile(path, 'utf8');
    expect(text).not.toMatch(/sk-live|sk-proj|Bearer|apiKey|Authorization/);
    const json = JSON.parse(text);
    expect(json.lm).toEqual({
      model: 'openai/gpt-4o-mini',
      temperature: 0,
      maxTokens: 512,
      headers: { 'X-Trace': 'on' },
      extra: {},
    });
    expect(json.predictors.answer.lm.maxTokens).toBe(512);
    expect(warnings.join('\n')).toContain('/apiKey');
  });

  it('refuses to load an artifact holding secrets', async () => {
    const artifact = JSON.parse(JSON.stringify(toArtifact(compiled())));
    artifact.lm = { model: 'x', api_key: 'abc' };
    artifact.predictors.retrieve.lm = { model: 'x', token: 'zzz', note: 'sk-abcdefghijklmnopqrstuvwx' };
    const err = await codeOf(loadArtifact(artifact));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(err.message).toContain('/lm/api_key: looks like a secret');
    expect(err.message).toContain('/predictors/retrieve/lm/token');
    expect(err.message).toContain('/predictors/retrieve/lm/note');
  });
});

describe('atomic writes', () => {
  it('leaves no partial or temporary file when the rename fails', async () => {
    const target = join(dir, 'taken');
    await mkdir(target);
    const err = await codeOf(saveProgram(compiled(), target));
    expect(err.code).toBe('ARTIFACT_IO');
    expect(err.message).toContain('taken');
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readdir(target)).toEqual([]);
  });

  it('keeps the previous file intact when a later save fails', async () => {
    const path = join(dir, 'qa.json');
    await saveProgram(compiled(), path);
    const before = await readFile(path, 'utf8');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const err = await codeOf(saveProgram(compiled(), path, { provenance: { report: cyclic } }));
    expect(err.code).toBe('ARTIFACT_INVALID');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['qa.json']);
  });
});
