import { readFileSync } from 'node:fs';
import { DspyError, type FieldSpec, importDspyState, SignatureSpec } from '@dspy-ts/core';
import { parseDspyState } from '@dspy-ts/core/internal';
import { describe, expect, it } from 'vitest';
import { FakePredictor } from './helpers.js';

const fixture = readFileSync(new URL('./fixtures/dspy-rag-state.json', import.meta.url), 'utf8');

const field = (name: string, type = 'string'): FieldSpec => ({
  name,
  schema: type === 'string' ? { type: 'string' } : { type: 'array', items: { type: 'string' } },
  typeText: type === 'string' ? 'string' : 'string[]',
});

/** A program shaped like DSPy's RAG example: a ChainOfThought query writer and a Predict answerer. */
class RAG {
  readonly generateQuery = {
    predict: new FakePredictor(
      new SignatureSpec({
        name: 'GenerateQuery',
        instructions: 'Write a query.',
        inputs: [field('question')],
        outputs: [field('reasoning'), field('searchQuery')],
      }),
    ),
  };
  readonly generateAnswer = new FakePredictor(
    new SignatureSpec({
      name: 'GenerateAnswer',
      instructions: 'Answer with facts from the context.',
      inputs: [field('question'), field('context', 'string[]')],
      outputs: [field('answer')],
    }),
  );

  namedPredictors(): [string, FakePredictor][] {
    return [
      ['generateQuery.predict', this.generateQuery.predict],
      ['generateAnswer', this.generateAnswer],
    ];
  }
}

describe('importDspyState', () => {
  it('parses a DSPy state file without a program', () => {
    const { state, applied } = importDspyState(fixture);
    expect(state.predictors.map((p) => p.name)).toEqual(['generate_query.predict', 'generate_answer']);
    expect(state.versions.dspy).toBe('3.0.3');
    expect(applied).toEqual({});
  });

  it('maps names, demos, instructions and field overrides onto the program', () => {
    const rag = new RAG();
    const report = importDspyState(fixture, rag);
    expect(report.applied).toEqual({
      'generate_query.predict': 'generateQuery.predict',
      generate_answer: 'generateAnswer',
    });
    const q = rag.generateQuery.predict;
    expect(q.signature.instructions).toBe(
      'Write a simple search query that will help answer a complex question.',
    );
    expect(q.demos[0]).toEqual({
      augmented: true,
      question: 'Which city hosted the 1900 Summer Olympics?',
      reasoning: "The 1900 games were part of the World's Fair.",
      searchQuery: '1900 Summer Olympics host city',
    });
    expect(q.signature.field('searchQuery')?.description).toBe('a search query for a web search engine');
    expect(q.signature.field('searchQuery')?.prefix).toBe('Query:');
    expect(q.signature.field('reasoning')?.prefix).toBe("Reasoning: Let's think step by step in order to");
    expect(q.signature.field('question')?.prefix).toBeUndefined();
    expect(q.signature.field('question')?.description).toBeUndefined();

    const a = rag.generateAnswer;
    expect(a.signature.instructions).toBe('Answer with facts from the context.');
    expect(a.demos[0]?.context).toEqual(['Hamlet is a tragedy by William Shakespeare.']);
    expect(a.signature.field('answer')).toMatchObject({
      prefix: 'Final Answer:',
      description: 'often between 1 and 5 words',
    });
    expect(a.signature.field('context')?.description).toBe('may contain relevant facts');
    expect(report.warnings).toEqual([
      'generate_answer → generateAnswer: demo keys kept as they are (no such field): source_id',
    ]);
  });

  it('lists every unmatched name in one error, and honours an explicit map', () => {
    const state = JSON.parse(fixture);
    state.rerank = state.generate_answer;
    let err: unknown;
    try {
      importDspyState(state, new RAG());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DspyError);
    expect((err as DspyError).code).toBe('ARTIFACT_MISMATCH');
    expect((err as DspyError).message).toContain("DSPy predictor 'rerank' matches no predictor");
    const loose = importDspyState(state, new RAG(), { strict: false });
    expect(loose.warnings[0]).toContain("'rerank'");
    const renamed = {
      answer_step: state.generate_answer,
      'generate_query.predict': state['generate_query.predict'],
    };
    const mapped = importDspyState(renamed, new RAG(), { map: { answer_step: 'generateAnswer' } });
    expect(mapped.applied.answer_step).toBe('generateAnswer');
  });

  it('reads the legacy DSPy 2.5 layout', () => {
    const legacy = {
      self: { demos: [], signature_instructions: 'Be brief.', signature_prefix: 'Short Answer:' },
    };
    const p = new FakePredictor(
      new SignatureSpec({
        name: 'QA',
        instructions: 'x',
        inputs: [field('question')],
        outputs: [field('answer')],
      }),
    );
    const qa = { namedPredictors: () => [['answer', p] as [string, FakePredictor]] };
    importDspyState(legacy, qa);
    expect(p.signature.instructions).toBe('Be brief.');
    expect(p.signature.field('answer')?.prefix).toBe('Short Answer:');
  });

  it('rejects files that are not DSPy states, and __proto__ keys', () => {
    expect(() => parseDspyState('{"metadata": {}}')).toThrow(/no predictor states/);
    expect(() => parseDspyState('{"p": {"demos": 3, "signature": {}}}')).toThrow(/demos/);
    expect(() => parseDspyState('{"p": {"__proto__": {}, "signature": {}}}')).toThrow(/__proto__/);
    expect(() => parseDspyState('[1,')).toThrow(/not valid JSON/);
  });
});
