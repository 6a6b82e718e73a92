import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../e2e/helpers.js';
import { bundleApp, ROOT, runDeployingSnippet, type SplitBundle, splitApp } from './harness.js';

let split: SplitBundle;

beforeAll(async () => {
  split = await splitApp('worker.ts', 'browser');
}, 60_000);

const JSONREPAIR = /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?jsonrepair\//;

/** Runs one mode of `lazy/web-probe.ts` on core's web entry in a fresh process; its JSON line. */
async function probe(mode: string): Promise<Record<string, unknown>> {
  const done = await run(
    process.execPath,
    ['--conditions=@dspy-ts/source', '--import', 'tsx', join(ROOT, 'test/runtimes/lazy/web-probe.ts'), mode],
    { cwd: ROOT, timeoutMs: 60_000 },
  );
  expect(done.code, `web-probe ${mode} exited ${done.code}:\n${done.stderr.slice(-2000)}`).toBe(0);
  return JSON.parse(done.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

describe('lazy pieces of the web entry', () => {
  it('jsonrepair is not in the start-up chunks, only in a chunk loaded on demand', () => {
    expect(split.initialInputs.filter((f) => JSONREPAIR.test(f))).toEqual([]);
    expect(split.initialInputs).not.toContain('packages/core/src/adapters/json-repair.ts');
    expect(split.lazyInputs.some((f) => JSONREPAIR.test(f))).toBe(true);
  });

  it('a server bundle carries jsonrepair, the JSON format and the media parts', async () => {
    const server = await bundleApp('main.ts', 'http://127.0.0.1:9', 'node');
    // What the one output file holds (files tree-shaken away are listed with no bytes).
    const kept = Object.entries(Object.values(server.metafile.outputs)[0]?.inputs ?? {})
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([file]) => file);
    expect(kept.some((f) => JSONREPAIR.test(f))).toBe(true);
    for (const file of ['json-format.ts', 'media-content.ts', 'strict-schema.ts']) {
      expect(kept).toContain(`packages/core/src/adapters/${file}`);
    }
  }, 60_000);

  it("JSONAdapter's format (and the strict schema it sends) is not in the start-up chunks", () => {
    for (const file of ['json-format.ts', 'strict-schema.ts']) {
      expect(split.initialInputs).not.toContain(`packages/core/src/adapters/${file}`);
      expect(split.lazyInputs).toContain(`packages/core/src/adapters/${file}`);
    }
  });

  it('the media content parts are not in the start-up chunks', () => {
    expect(split.initialInputs).not.toContain('packages/core/src/adapters/media-content.ts');
    expect(split.lazyInputs).toContain('packages/core/src/adapters/media-content.ts');
  });

  it('Predict.forward with an image input loads the media content parts and sends the image', async () => {
    expect(await probe('media-forward')).toEqual({ caption: 'A cat.', parts: ['text', 'image_url', 'text'] });
  }, 60_000);

  it('a synchronous format of media before the content parts are loaded fails, naming what to await', async () => {
    const result = await probe('media-format-before-load');
    expect(result).toMatchObject({ threw: true, code: 'NOT_LOADED' });
    expect(result.fix).toMatch(/await loadAdapterSupport\(\)/);
  }, 60_000);

  it('the atomic file writer (saving artifacts, results, embeddings) is not in the start-up chunks', () => {
    expect(split.initialInputs).not.toContain('packages/core/src/artifact/atomic.ts');
    expect(split.lazyInputs).toContain('packages/core/src/artifact/atomic.ts');
  });

  it('restoring media (image headers, base64 decoding) is not in the start-up chunks, only with the media code', () => {
    for (const file of ['restore.ts', 'dimensions.ts', 'decode.ts']) {
      expect(split.initialInputs).not.toContain(`packages/core/src/media/${file}`);
      expect(split.lazyInputs).toContain(`packages/core/src/media/${file}`);
    }
  });

  it('the streaming call and TwoStepAdapter are not in the start-up chunks', () => {
    for (const file of ['stream-call.ts', 'stream-pump.ts', 'queue.ts']) {
      expect(split.initialInputs).not.toContain(`packages/core/src/modules/${file}`);
      expect(split.lazyInputs).toContain(`packages/core/src/modules/${file}`);
    }
    expect(split.initialInputs).not.toContain('packages/core/src/adapters/two-step-adapter.ts');
    expect(split.initialInputs).not.toContain('packages/core/src/adapters/xml-adapter.ts');
  });

  it('the retry of JSON values without null optional properties is not in the start-up chunks', () => {
    expect(split.initialInputs).not.toContain('packages/core/src/adapters/null-optionals.ts');
    expect(split.lazyInputs).toContain('packages/core/src/adapters/null-optionals.ts');
  });

  it('Predict.forward drops a null optional property: it loads the retry by itself', async () => {
    expect(await probe('null-optional-forward')).toEqual({ place: { city: 'Paris' }, calls: 1 });
  }, 60_000);

  it('a synchronous parse needing the null-optional retry before it is loaded fails, naming what to await', async () => {
    const result = await probe('null-optional-parse-before-load');
    expect(result).toMatchObject({ threw: true, code: 'NOT_LOADED' });
    expect(result.message).toMatch(/needs the retry of JSON values without null optional properties/);
    expect(result.fix).toMatch(/await loadAdapterSupport\(\)/);
  }, 60_000);

  it('the specs of @Signature() methods (and the parameter-name parser) are not in the start-up chunks', () => {
    for (const file of ['method-spec.ts', 'param-names.ts']) {
      expect(split.initialInputs).not.toContain(`packages/core/src/signature/${file}`);
    }
    expect(split.lazyInputs).toContain('packages/core/src/signature/method-spec.ts');
  });

  it('calling a @Signature() method on the web entry loads its spec and runs the prediction', async () => {
    expect(await probe('method-call')).toEqual({ result: { label: 'bug' }, calls: 1 });
  }, 60_000);

  it('specOf on a method after loadMethodSignatures() builds the spec', async () => {
    expect(await probe('method-spec-after-load')).toEqual({
      name: 'Service.classify',
      inputs: ['text'],
      outputs: ['label'],
    });
  }, 60_000);

  it('specOf on a method before its specs are loaded fails, naming what to await', async () => {
    const result = await probe('method-spec-before-load');
    expect(result).toMatchObject({ threw: true, code: 'NOT_LOADED' });
    expect(result.message).toMatch(
      /specOf\(Service, 'classify'\) needs the support of @Signature\(\) methods/,
    );
    expect(result.fix).toMatch(/await loadMethodSignatures\(\)/);
  }, 60_000);

  it('specOf on a plain function still says it is not a @Signature() method', async () => {
    const result = await probe('not-a-method');
    expect(result).toMatchObject({ threw: true, code: 'SIGNATURE_INVALID' });
    expect(result.message).toMatch(/the function is not a @Signature\(\) method/);
  }, 60_000);

  it('Predict.forward reads malformed JSON: it loads jsonrepair by itself', async () => {
    expect(await probe('forward')).toEqual({ cities: ['Paris', 'Lyon'], calls: 1 });
  }, 60_000);

  it('Predict.stream reads malformed JSON: it loads jsonrepair by itself', async () => {
    expect(await probe('stream')).toEqual({
      events: [
        { type: 'delta', field: 'cities', delta: "['Paris', 'Lyon',]" },
        { type: 'prediction', cities: ['Paris', 'Lyon'] },
      ],
      calls: 1,
    });
  }, 60_000);

  it("JSONAdapter's call reads malformed JSON without asking the model again", async () => {
    expect(await probe('json-adapter')).toEqual({
      outputs: [{ answer: 'Paris', cities: ['Paris', 'Lyon'] }],
      calls: 1,
    });
  }, 60_000);

  it('a synchronous parse before jsonrepair is loaded fails, naming what to await', async () => {
    const result = await probe('parse-before-load');
    expect(result).toMatchObject({ threw: true, code: 'NOT_LOADED' });
    expect(result.message).toMatch(/needs jsonrepair/);
    expect(result.fix).toMatch(/await loadAdapterSupport\(\)/);
  }, 60_000);

  it("JSONAdapter's synchronous format before its format is loaded fails, naming what to await", async () => {
    const result = await probe('format-before-load');
    expect(result).toMatchObject({ threw: true, code: 'NOT_LOADED' });
    expect(result.message).toMatch(/JSONAdapter\.format\(\) needs JSONAdapter's format/);
    expect(result.fix).toMatch(/await loadAdapterSupport\(\)/);
  }, 60_000);

  it('Predict.stream with a JSONAdapter loads its format, then reads malformed JSON', async () => {
    const result = await probe('stream-json');
    expect(result.calls).toBe(1);
    expect((result.events as unknown[]).at(-1)).toEqual({
      type: 'prediction',
      outputs: { answer: 'Paris', cities: ['Paris', 'Lyon'] },
    });
  }, 60_000);

  it('a synchronous parse after loadAdapterSupport() reads malformed JSON', async () => {
    expect(await probe('parse-after-load')).toEqual({ answer: 'Paris', cities: ['Paris', 'Lyon'] });
  }, 60_000);

  it('on the server entry, a synchronous parse reads malformed JSON from the first call', async () => {
    expect(await probe('server-parse')).toEqual({ answer: 'Paris', cities: ['Paris', 'Lyon'] });
  }, 60_000);

  it('the loadAdapterSupport snippet of docs/deploying.md runs on the web entry, in a fresh process', async () => {
    const done = await runDeployingSnippet('await loadAdapterSupport()');
    expect(done, 'a ts block calling loadAdapterSupport').toBeDefined();
    expect(done?.code, done?.stderr).toBe(0);
  }, 60_000);
});
