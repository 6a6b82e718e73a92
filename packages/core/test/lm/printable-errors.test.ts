import { inspect } from 'node:util';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DspyError, LM } from '../../src/index.js';
import { type ErrorServer, errorServer, failure, statusOf } from './helpers/error-server.js';

let statusServer: ErrorServer;
let statusURL: string;
let testServer: TestServer;

beforeAll(async () => {
  // Answers every request with the status named by the model (`openai/status-401` → 401).
  statusServer = await errorServer((_req, model) => {
    const status = statusOf(model, 500);
    return {
      status,
      headers: { 'x-request-id': 'req-1' },
      body: { error: { message: `refused with ${status}`, type: 'invalid_request_error' } },
    };
  });
  statusURL = statusServer.url;
  const refusing = new ScriptedLM(() => {
    throw new DspyError('LM_BAD_REQUEST', 'unsupported parameter: frobnicate');
  });
  testServer = await startTestServer({ lm: refusing });
});

afterAll(async () => {
  await statusServer.close();
  await testServer.close();
});

describe('LM errors print', () => {
  it.each([
    [401, 'LM_AUTH'],
    [403, 'LM_AUTH'],
    [404, 'LM_NOT_FOUND'],
    [422, 'LM_BAD_REQUEST'],
  ])(
    'util.inspect of the error of a %i answer shows code and message, cause included',
    async (status, code) => {
      const lm = new LM(`openai/status-${status}`, { baseURL: statusURL, apiKey: 'k', cache: false });
      const err = await failure(lm);
      expect(err.code).toBe(code);
      const printed = inspect(err, { depth: 10 });
      expect(printed).toContain(code);
      expect(printed).toContain(`refused with ${status}`);
      expect(printed).toContain('x-request-id');
      expect(() => inspect(err.cause, { depth: 10 })).not.toThrow();
    },
  );

  it('util.inspect of a 400 from the test server shows code and message', async () => {
    const lm = new LM('openai/gpt-4o-mini', { baseURL: testServer.url, apiKey: 'k', cache: false });
    const err = await failure(lm);
    expect(err.code).toBe('LM_BAD_REQUEST');
    const printed = inspect(err, { depth: 10 });
    expect(printed).toContain('LM_BAD_REQUEST');
    expect(printed).toContain('unsupported parameter: frobnicate');
  });
});
