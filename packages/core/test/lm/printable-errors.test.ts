import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { ScriptedLM, startTestServer, type TestServer } from '@dspy-ts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DspyError, LM } from '../../src/index.js';

let statusServer: Server;
let statusURL: string;
let testServer: TestServer;

beforeAll(async () => {
  // Answers every request with the status named by the model (`openai/status-401` → 401).
  statusServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const model = String((JSON.parse(body) as { model?: string }).model ?? '');
      const status = Number(model.replace('status-', '')) || 500;
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      res.end(
        JSON.stringify({ error: { message: `refused with ${status}`, type: 'invalid_request_error' } }),
      );
    });
  });
  await new Promise<void>((resolve) => statusServer.listen(0, '127.0.0.1', resolve));
  statusURL = `http://127.0.0.1:${(statusServer.address() as AddressInfo).port}/v1`;
  const refusing = new ScriptedLM(() => {
    throw new DspyError('LM_BAD_REQUEST', 'unsupported parameter: frobnicate');
  });
  testServer = await startTestServer({ lm: refusing });
});

afterAll(async () => {
  await new Promise((resolve) => statusServer.close(resolve));
  await testServer.close();
});

async function failure(lm: LM): Promise<DspyError> {
  try {
    await lm.call({ messages: [{ role: 'user', content: 'hi' }] });
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}

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
