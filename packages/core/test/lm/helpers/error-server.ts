import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DspyError } from '../../../src/index.js';

/** What an {@link errorServer} answers a request with. */
export interface ErrorReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A loopback server that answers every chat request through `reply`; `url` ends in `/v1`. */
export interface ErrorServer {
  readonly url: string;
  /** Requests received so far. */
  readonly hits: number;
  close(): Promise<void>;
}

/**
 * Starts a loopback server for error paths: `reply` gets the request and the model named in
 * its body (`openai/status-401` sends `status-401`) and says what to answer.
 */
export async function errorServer(
  reply: (req: IncomingMessage, model: string) => ErrorReply,
): Promise<ErrorServer> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const model = String((JSON.parse(body || '{}') as { model?: string }).model ?? '');
      const answer = reply(req, model);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    get hits() {
      return hits;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The status a model name asks for (`status-401` → 401), else `fallback`. */
export function statusOf(model: string, fallback: number): number {
  return Number(model.replace('status-', '')) || fallback;
}

/** The `DspyError` one call of `lm` fails with. */
export async function failure(lm: {
  call(r: { messages: { role: 'user'; content: string }[] }): Promise<unknown>;
}): Promise<DspyError> {
  try {
    await lm.call({ messages: [{ role: 'user', content: 'hi' }] });
  } catch (err) {
    if (err instanceof DspyError) return err;
    throw err;
  }
  throw new Error('the call succeeded');
}
