import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Callback,
  ChainOfThought,
  Module,
  methodPredictor,
  Predict,
  runWithTrace,
  Signature,
  withSettings,
} from '@dspy-ts/core';
import { isModule } from '@dspy-ts/core/internal';
import { ScriptedLM } from '@dspy-ts/testing';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { registerTestManifest } from './helpers.js';

beforeAll(registerTestManifest);

class Inner extends Module {
  generate = new ChainOfThought('question -> answer');
  override async forward(x: { question: string }) {
    return this.generate.forward(x);
  }
}

class Service extends Module {
  first = new Predict('question -> answer');
  inner = new Inner();
  items = [new Predict('question -> answer'), [new Predict('question -> answer')]];
  table = { a: new Predict('question -> answer') };
  label = 'not a predictor';

  @Signature({ instructions: 'Classify the text.' })
  async classify(text: string): Promise<{ label: string }> {
    void text;
    throw new Error('replaced by the method runner');
  }

  override async forward(x: { question: string }) {
    const a = await this.first.forward(x);
    return this.inner.forward({ question: a.answer });
  }
}

describe('Module', () => {
  it('lists predictors by property path, including nested arrays, maps and signature methods', () => {
    const s = new Service();
    expect(s.namedPredictors().map(([p]) => p)).toEqual([
      'first',
      'inner.generate.predict',
      'items.0',
      'items.1.0',
      'table.a',
      'classify',
    ]);
    expect(s.predictors()).toHaveLength(6);
    expect(s.namedSubModules().map(([p]) => p)).toContain('inner.generate');
    expect(new Predict('q -> a').namedPredictors().map(([p]) => p)).toEqual(['self']);
    expect(isModule(s)).toBe(true);
    expect(s).toBeInstanceOf(Module);
    expect(new Predict('q -> a')).toBeInstanceOf(Module);
  });

  it('runs a signature method through a Predict, mapping positional arguments to inputs', async () => {
    const lm = new ScriptedLM([{ label: 'billing' }]);
    const s = new Service();
    s.setLM(lm);
    const out = await s.classify('my invoice is wrong');
    expect(out).toEqual({ label: 'billing' });
    const user = lm.requests[0]?.messages.at(-1)?.content ?? '';
    expect(user).toContain('my invoice is wrong');
    const [, p] = s.namedPredictors().find(([path]) => path === 'classify') ?? [];
    expect(p?.signature.name).toBe('Service.classify');
  });

  it('types forward through Module<I, O> and Predict', async () => {
    class Typed extends Module<{ question: string }, string> {
      qa = new Predict('question: string -> answer: string');
      override async forward(x: { question: string }) {
        return (await this.qa.forward(x)).answer;
      }
    }
    const t = new Typed().setLM(new ScriptedLM([{ answer: 'typed' }]));
    expectTypeOf(t.forward).parameter(0).toEqualTypeOf<{ question: string }>();
    expectTypeOf(t.forward).returns.resolves.toEqualTypeOf<string>();
    expectTypeOf(t.clone()).toEqualTypeOf<Typed>();
    expect(await t.forward({ question: 'q' })).toBe('typed');
    expect(methodPredictor(new Service(), 'classify').signature.name).toBe('Service.classify');
  });

  it('sets the LM of every predictor', () => {
    const lm = new ScriptedLM([]);
    const s = new Service().setLM(lm);
    expect(s.predictors().every((p) => p.lm === lm)).toBe(true);
  });

  it('clones deeply: independent demos and instructions, shared LMs, same paths', () => {
    const lm = new ScriptedLM([]);
    const s = new Service().setLM(lm);
    const copy = s.clone();
    expect(copy).toBeInstanceOf(Service);
    expect(copy.namedPredictors().map(([p]) => p)).toEqual(s.namedPredictors().map(([p]) => p));
    copy.first.demos.push({ question: 'q', answer: 'a' });
    copy.inner.generate.predict.signature = copy.inner.generate.predict.signature.withInstructions('New.');
    expect(s.first.demos).toEqual([]);
    expect(s.inner.generate.predict.signature.instructions).not.toBe('New.');
    expect(copy.first).not.toBe(s.first);
    expect(copy.first.lm).toBe(lm);
    const [, method] = copy.namedPredictors().find(([path]) => path === 'classify') ?? [];
    const [, original] = s.namedPredictors().find(([path]) => path === 'classify') ?? [];
    expect(method).not.toBe(original);
  });

  it('resetCopy clears demos and restores instructions', () => {
    const s = new Service();
    s.first.demos = [{ question: 'q', answer: 'a' }];
    s.first.signature = s.first.signature.withInstructions('Learned.');
    const fresh = s.resetCopy();
    expect(fresh.first.demos).toEqual([]);
    expect(fresh.first.signature.instructions).toBe(s.first.declaredSignature.instructions);
    expect(s.first.demos).toHaveLength(1);
  });

  it('saves and loads an artifact (instance and static load)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-modules-'));
    try {
      const s = new Service();
      s.first.demos = [{ question: 'saved q', answer: 'saved a' }];
      s.inner.generate.predict.signature = s.inner.generate.predict.signature.withInstructions('Learned.');
      const path = join(dir, 'service.json');
      await s.save(path);
      const json = JSON.parse(await readFile(path, 'utf8')) as { predictors: Record<string, unknown> };
      expect(Object.keys(json.predictors)).toContain('inner.generate.predict');
      const loaded = await Service.load(path);
      expect(loaded).toBeInstanceOf(Service);
      expect(loaded.first.demos).toEqual([{ question: 'saved q', answer: 'saved a' }]);
      expect(loaded.inner.generate.predict.signature.instructions).toBe('Learned.');
      const other = await new Service().load(path);
      expect(other.first.demos).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('emits moduleStart/moduleEnd for every module forward, nested in order', async () => {
    const events: string[] = [];
    const cb: Callback = {
      onModuleStart: (e) => events.push(`start ${e.module}`),
      onModuleEnd: (e) => events.push(`end ${e.module}${e.error ? ' error' : ''}`),
    };
    const lm = new ScriptedLM([{ answer: 'first' }, { reasoning: 'r', answer: 'second' }]);
    const s = new Service().setLM(lm);
    const out = await withSettings({ callbacks: [cb] }, () => s.forward({ question: 'q' }));
    expect(out.answer).toBe('second');
    expect(events).toEqual([
      'start Service',
      'start Predict(StringSignature)',
      'end Predict(StringSignature)',
      'start Inner',
      'start ChainOfThought(StringSignature)',
      'start Predict(StringSignature)',
      'end Predict(StringSignature)',
      'end ChainOfThought(StringSignature)',
      'end Inner',
      'end Service',
    ]);
  });

  it('emits once when a subclass forward calls super.forward()', async () => {
    class Base extends Module {
      override async forward(x: { n: number }) {
        return x.n;
      }
    }
    class Derived extends Base {
      override async forward(x: { n: number }) {
        return (await super.forward(x)) + 1;
      }
    }
    const starts: string[] = [];
    const cb: Callback = { onModuleStart: (e) => starts.push(e.module) };
    const out = await withSettings({ callbacks: [cb] }, async () => {
      await new Base().forward({ n: 0 });
      return new Derived().forward({ n: 1 });
    });
    expect(out).toBe(2);
    expect(starts).toEqual(['Base', 'Derived']);
  });

  it('reports an error in moduleEnd', async () => {
    const ends: unknown[] = [];
    const qa = new Predict('question -> answer', { lm: new ScriptedLM([]) });
    await withSettings({ callbacks: [{ onModuleEnd: (e) => ends.push(e.error) }] }, () =>
      qa.forward({ question: 'q' }).catch(() => undefined),
    );
    expect(ends).toHaveLength(1);
    expect(ends[0]).toBeInstanceOf(Error);
  });

  it('records a trace of every predictor call', async () => {
    const lm = new ScriptedLM([{ answer: 'first' }, { reasoning: 'r', answer: 'second' }]);
    const s = new Service().setLM(lm);
    const { result, trace } = await runWithTrace(() => s.forward({ question: 'q' }));
    expect(result.answer).toBe('second');
    expect(trace.map((t) => t.predictor)).toEqual([s.first, s.inner.generate.predict]);
    expect(trace[0]?.inputs).toEqual({ question: 'q' });
    expect(trace[1]).toMatchObject({
      inputs: { question: 'first' },
      outputs: { reasoning: 'r', answer: 'second' },
    });
  });

  it('keeps concurrent traces apart', async () => {
    const lm = new ScriptedLM((req) => ({
      answer: req.messages.at(-1)?.content.includes('one') ? '1' : '2',
    }));
    const qa = new Predict('question -> answer', { lm });
    const [a, b] = await Promise.all([
      runWithTrace(() => qa.forward({ question: 'one' })),
      runWithTrace(() => qa.forward({ question: 'two' })),
    ]);
    expect(a.trace.map((t) => t.outputs.answer)).toEqual(['1']);
    expect(b.trace.map((t) => t.outputs.answer)).toEqual(['2']);
  });
});

describe('@Module()', () => {
  @Module()
  class Plain {
    predict = new Predict('question -> answer');
    async forward(x: { question: string }) {
      return this.predict.forward(x);
    }
  }
  it('gives a plain class the module methods and callbacks', async () => {
    const p = new Plain() as Plain & Module;
    expect(isModule(p)).toBe(true);
    expect(p.namedPredictors().map(([path]) => path)).toEqual(['predict']);
    const lm = new ScriptedLM([{ answer: 'x' }]);
    p.setLM(lm);
    const copy = p.clone();
    expect(copy.predict).not.toBe(p.predict);
    const names: string[] = [];
    await withSettings({ callbacks: [{ onModuleStart: (e) => names.push(e.module) }] }, () =>
      p.forward({ question: 'q' }),
    );
    expect(names).toEqual(['Plain', 'Predict(StringSignature)']);
  });

  it('works when applied as a legacy decorator (one argument) or a TC39 one (with a context)', () => {
    class Legacy {
      p = new Predict('q -> a');
      async forward() {
        return 1;
      }
    }
    class Standard {
      p = new Predict('q -> a');
      async forward() {
        return 2;
      }
    }
    Module()(Legacy);
    Module()(Standard, { kind: 'class', name: 'Standard' } as ClassDecoratorContext);
    for (const C of [Legacy, Standard]) {
      const m = new C() as unknown as Module;
      expect(isModule(m)).toBe(true);
      expect(m.namedPredictors().map(([path]) => path)).toEqual(['p']);
    }
  });

  it('rejects a class without forward', () => {
    expect(() => Module()(class NoForward {})).toThrow(/no forward/);
  });
});
