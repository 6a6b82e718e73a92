import type { LanguageModel, LMRequest, LMResponse } from '../../src/lm/types.js';
import type { FieldSpec, JsonSchema } from '../../src/signature/spec.js';
import { SignatureSpec } from '../../src/signature/spec.js';

/** A field spec for tests. */
export function field(
  name: string,
  schema: JsonSchema,
  typeText: string,
  extra: Partial<FieldSpec> = {},
): FieldSpec {
  return { name, schema, typeText, ...extra };
}

export const str = (name: string, extra: Partial<FieldSpec> = {}) =>
  field(name, { type: 'string' }, 'string', extra);

/** `question: string -> answer: string`, "Answer the question." */
export const qa = new SignatureSpec({
  name: 'QA',
  instructions: 'Answer the question.',
  inputs: [str('question')],
  outputs: [str('answer')],
});

/** A signature with every kind of output. */
export const rich = new SignatureSpec({
  name: 'Rich',
  instructions: 'Classify the ticket.\nBe strict.',
  inputs: [
    str('ticket', { description: 'the customer message' }),
    field('tags', { type: 'array', items: { type: 'string' } }, 'string[]'),
  ],
  outputs: [
    str('summary', { description: 'one sentence' }),
    field('confidence', { type: 'number', minimum: 0, maximum: 1 }, 'number'),
    field('priority', { type: 'integer' }, 'integer'),
    field('urgent', { type: 'boolean' }, 'boolean'),
    field('sentiment', { type: 'string', enum: ['positive', 'negative'] }, "'positive' | 'negative'"),
    field(
      'entities',
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { name: { type: 'string' } },
          required: ['name'],
          additionalProperties: false,
        },
      },
      'Entity[]',
    ),
  ],
});

/** A completion that parses for {@link rich}. */
export const richCompletion = [
  '[[ ## summary ## ]]',
  'A refund request.',
  '',
  '[[ ## confidence ## ]]',
  '0.9',
  '',
  '[[ ## priority ## ]]',
  '2',
  '',
  '[[ ## urgent ## ]]',
  'true',
  '',
  '[[ ## sentiment ## ]]',
  'negative',
  '',
  '[[ ## entities ## ]]',
  '[{"name":"ACME"}]',
  '',
  '[[ ## completed ## ]]',
].join('\n');

export const richOutputs = {
  summary: 'A refund request.',
  confidence: 0.9,
  priority: 2,
  urgent: true,
  sentiment: 'negative',
  entities: [{ name: 'ACME' }],
};

/** An LM response with `texts` as its completions. */
export function response(...texts: string[]): LMResponse {
  return {
    text: texts[0] ?? '',
    choices: texts,
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
    model: 'scripted',
    finishReason: 'stop',
    cacheHit: false,
  };
}

/** An inline LM that answers from a queue (a string, or an error to throw) and records requests. */
export function scriptedLM(
  answers: (string | string[] | Error)[],
  opts: { structured?: boolean } = {},
): LanguageModel & { requests: LMRequest[] } {
  const requests: LMRequest[] = [];
  return {
    model: 'scripted',
    requests,
    supportsStructuredOutputs: opts.structured ?? false,
    async call(request) {
      requests.push(request);
      const next = answers.shift();
      if (next === undefined) throw new Error('scriptedLM: no answer left');
      if (next instanceof Error) throw next;
      return Array.isArray(next) ? response(...next) : response(next);
    },
  };
}
