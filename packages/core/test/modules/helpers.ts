import { type FieldSpec, type ManifestSignature, registerManifest, SignatureSpec } from '@dspy-ts/core';

const str = (name: string, description?: string): FieldSpec => ({
  name,
  schema: { type: 'string' },
  typeText: 'string',
  ...(description ? { description } : {}),
});

/** Registers build-step entries for the test signature classes (no build step runs in tests). */
export function registerTestManifest(): void {
  const entry = (
    name: string,
    inputs: FieldSpec[],
    outputs: FieldSpec[],
    instructions = '',
  ): ManifestSignature => {
    const spec = new SignatureSpec({ name, instructions, inputs, outputs });
    return {
      kind: 'class',
      name,
      location: `test/${name}.ts:1:1`,
      instructions,
      inputs,
      outputs,
      hash: spec.hash,
    };
  };
  registerManifest({
    version: 1,
    sourceHashes: {},
    signatures: {
      QA: entry('QA', [str('question')], [str('answer')], 'Answer the question.'),
      'Service.classify': {
        ...entry('Service.classify', [str('text')], [str('label')], 'Classify the text.'),
        kind: 'method',
      },
    },
    tools: {},
  });
}
