import type { Demo, FieldSpec, LanguageModel, Predictor, PredictorState } from '@dspy-ts/core';
import { SignatureSpec } from '@dspy-ts/core';

const str = (name: string, description?: string): FieldSpec => ({
  name,
  schema: { type: 'string' },
  typeText: 'string',
  ...(description ? { description } : {}),
});

/** A signature with the given input and output names (all strings). */
export function spec(name: string, inputs: string[], outputs: string[], instructions = `Do ${name}.`) {
  return new SignatureSpec({
    name,
    instructions,
    inputs: inputs.map((n) => str(n)),
    outputs: outputs.map((n) => str(n)),
  });
}

/** A predictor that behaves like Predict for state: the hash in its state is the base signature's. */
export class FakePredictor implements Predictor {
  readonly isPredictor = true as const;
  signature: SignatureSpec<object, object>;
  demos: Demo[] = [];
  lm: LanguageModel | undefined;
  readonly base: SignatureSpec<object, object>;

  constructor(base: SignatureSpec<object, object>) {
    this.base = base;
    this.signature = base;
  }

  dumpState(): PredictorState {
    const fields: Record<string, { description?: string; prefix?: string }> = {};
    for (const f of this.signature.fields) {
      const orig = this.base.field(f.name);
      const patch: { description?: string; prefix?: string } = {};
      if (f.description !== orig?.description && f.description !== undefined)
        patch.description = f.description;
      if (f.prefix !== orig?.prefix && f.prefix !== undefined) patch.prefix = f.prefix;
      if (Object.keys(patch).length > 0) fields[f.name] = patch;
    }
    const lm = this.lm?.settings?.();
    return {
      signature: { name: this.base.name, hash: this.base.hash },
      instructions: this.signature.instructions,
      demos: this.demos.map((d) => ({ ...d })),
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(lm ? { lm: { ...lm } } : {}),
    };
  }

  loadState(state: PredictorState): void {
    let s = this.base.withInstructions(state.instructions);
    for (const [name, patch] of Object.entries(state.fields ?? {})) {
      if (s.field(name)) s = s.withUpdatedField(name, patch);
    }
    this.signature = s;
    this.demos = state.demos.map((d) => ({ ...d }));
  }

  reset(): void {
    this.signature = this.base;
    this.demos = [];
  }
}

/** A two-predictor program; `variant` changes the answer signature (to test drift). */
export class QA {
  readonly retrieve: FakePredictor;
  readonly answer: FakePredictor;

  constructor(variant = false) {
    this.retrieve = new FakePredictor(spec('Retrieve', ['question'], ['query']));
    this.answer = new FakePredictor(
      variant
        ? spec('Answer', ['question', 'context'], ['answer', 'confidence'])
        : spec('Answer', ['question', 'context'], ['answer']),
    );
  }

  namedPredictors(): [string, FakePredictor][] {
    return [
      ['retrieve', this.retrieve],
      ['answer', this.answer],
    ];
  }
}

/** A fake LM whose settings include secrets. */
export function leakyLM(): LanguageModel {
  return {
    model: 'openai/gpt-4o-mini',
    async call() {
      throw new Error('not called');
    },
    settings: () => ({
      model: 'openai/gpt-4o-mini',
      temperature: 0,
      maxTokens: 512,
      apiKey: 'sk-live-1234567890abcdefghij',
      headers: { Authorization: 'Bearer abc', 'X-Trace': 'on' },
      extra: { org: 'sk-proj-abcdefghijklmnopqrstuvwxyz' },
    }),
  };
}
