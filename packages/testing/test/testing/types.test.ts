import type { LanguageModel } from '@dspy-ts/core';
import { describe, expectTypeOf, it } from 'vitest';
import { OfflineLM, ScriptedLM, startTestServer, type TestServer } from '../../src/index.js';

describe('public types', () => {
  it('both testing models are LanguageModels, and the server is async-disposable', () => {
    expectTypeOf(new ScriptedLM([])).toExtend<LanguageModel>();
    expectTypeOf(new OfflineLM()).toExtend<LanguageModel>();
    expectTypeOf(startTestServer).returns.resolves.toEqualTypeOf<TestServer>();
    expectTypeOf<TestServer>().toExtend<AsyncDisposable>();
    expectTypeOf<TestServer['url']>().toBeString();
  });
});
