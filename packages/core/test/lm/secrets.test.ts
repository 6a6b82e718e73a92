import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DspyError, LM } from '../../src/index.js';
import { type ErrorServer, errorServer, failure, statusOf } from './helpers/error-server.js';

const SHAPED_KEY = 'sk-live-0123456789abcdef';
const PLAIN_KEY = 'plain-secret-value-42';
const HEADER_SECRET = 'hdr-secret-9876';

let server: ErrorServer;
let url: string;

beforeAll(async () => {
  // Refuses every request with the status named by the model (`openai/status-401` → 401),
  // echoing the credentials it received in its body and headers, as careless servers do.
  server = await errorServer((req, model) => {
    const auth = req.headers.authorization ?? '';
    const extra = String(req.headers['x-api-key'] ?? '');
    return {
      status: statusOf(model, 400),
      headers: { 'x-echo-authorization': auth },
      body: {
        error: {
          message: `Incorrect API key provided: ${auth} (x-api-key ${extra})`,
          type: 'invalid_request_error',
          received: { authorization: auth, key: auth.replace('Bearer ', ''), headers: [extra] },
        },
      },
    };
  });
  url = server.url;
});

afterAll(() => server.close());

/** Every way a user may print or store an error, its cause chain included. */
function renderings(err: DspyError): string[] {
  const out = [inspect(err, { depth: 10 }), JSON.stringify(err), String(err), err.stack ?? ''];
  for (let c: unknown = err.cause; c !== undefined && c !== null; c = (c as { cause?: unknown }).cause) {
    out.push(inspect(c, { depth: 10 }), JSON.stringify(c), String(c));
  }
  return out;
}

describe('LM errors never show credentials', () => {
  it.each([
    [400, SHAPED_KEY],
    [401, SHAPED_KEY],
    [400, PLAIN_KEY],
    [401, PLAIN_KEY],
  ])(
    'a %i whose body echoes the key %s: message, inspect, JSON and cause chain are masked',
    async (status, key) => {
      const lm = new LM(`openai/status-${status}`, {
        baseURL: url,
        apiKey: key,
        cache: false,
        headers: { 'x-api-key': HEADER_SECRET },
      });
      const err = await failure(lm);
      expect(err.code).toBe(status === 401 ? 'LM_AUTH' : 'LM_BAD_REQUEST');
      expect(err.message).toContain('Incorrect API key provided: Bearer ***');
      const cause = err.cause as { status?: number; error?: unknown };
      expect(cause.status).toBe(status);
      expect(cause).toBeInstanceOf(Error);
      for (const text of renderings(err)) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(HEADER_SECRET);
      }
      expect(inspect(err, { depth: 10 })).toContain("'x-echo-authorization': '***'");
    },
  );
});

describe('LM settings never show credentials', () => {
  it('drop entries named or shaped like credentials at any depth, and the key wherever it appears', () => {
    const lm = new LM('openai/gpt-4o-mini', {
      apiKey: PLAIN_KEY,
      stop: ['END', SHAPED_KEY],
      extra: {
        seed: 7,
        metadata: {
          user: 'sk-nested-0123456789',
          note: `rotated from ${PLAIN_KEY}`,
          session: { token: 'abc', password: 'hunter2', region: 'eu' },
          forwarded: 'Bearer opaque-token-value',
        },
      },
    });
    const settings = lm.settings();
    for (const text of [JSON.stringify(settings), JSON.stringify(lm), inspect(settings, { depth: 10 })]) {
      for (const secret of [PLAIN_KEY, SHAPED_KEY, 'sk-nested-0123456789', 'hunter2', 'opaque-token-value']) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain('"token"');
    }
    expect(settings).toEqual({
      model: 'openai/gpt-4o-mini',
      stop: ['END'],
      extra: { seed: 7, metadata: { note: 'rotated from ***', session: { region: 'eu' } } },
    });
  });
});
