/**
 * A production-style server for a frozen program: loads `artifacts/triage.json` once, serves
 * `POST /predict` (`{ "message": "..." }` → `{ "intent": "..." }`) and `GET /healthz`, traces
 * every request with OpenTelemetry, and shuts down gracefully on SIGTERM / SIGINT.
 *
 * Run: `pnpm --filter @dspy-ts/example-production-server start` (PORT, default 3000; 0 picks a free one).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { configure, isDspyError, silentLogger } from '@dspy-ts/core';
import { exampleLM } from '@dspy-ts/example-shared';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Triage } from './program.js';
import { startTelemetry } from './telemetry.js';

const MAX_BODY_BYTES = 64 * 1024;
const MAX_MESSAGE_CHARS = 4000;

const telemetry = await startTelemetry();
const { lm, label } = exampleLM();
configure({ lm, logger: silentLogger });
const program = await Triage.load(new URL('../artifacts/triage.json', import.meta.url).pathname);

/** A request the client got wrong: answered with `status` and `{ error }`. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
    throw new BadRequest(415, 'Send the body as JSON (content-type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(413, `The body is over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest(400, 'The body is not valid JSON.');
  }
}

/** The `message` of a prediction request, checked. */
function messageOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest(400, 'Send a JSON object: { "message": "..." }.');
  const { message, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new BadRequest(400, `Unknown field(s): ${unknown.join(', ')}; send only "message".`);
  if (typeof message !== 'string' || message.trim() === '')
    throw new BadRequest(400, '"message" must be a non-empty string.');
  if (message.length > MAX_MESSAGE_CHARS)
    throw new BadRequest(400, `"message" is over ${MAX_MESSAGE_CHARS} characters.`);
  return message;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/healthz') {
    if (req.method !== 'GET') throw new BadRequest(405, 'Use GET /healthz.');
    return send(res, 200, { status: 'ok', program: 'Triage', lm: label });
  }
  if (path !== '/predict') throw new BadRequest(404, 'Use POST /predict or GET /healthz.');
  if (req.method !== 'POST') throw new BadRequest(405, 'Use POST /predict.');
  const message = messageOf(await readJson(req));
  const { intent } = await program.forward({ message });
  send(res, 200, { intent });
}

function fail(res: ServerResponse, err: unknown): number {
  if (err instanceof BadRequest) return reply(res, err.status, { error: err.message });
  if (isDspyError(err, 'INPUT_INVALID')) return reply(res, 400, { error: err.message });
  // Model and server failures: the code is enough for the client; the spans hold the rest.
  const code = isDspyError(err) ? err.code : 'INTERNAL';
  return reply(res, isDspyError(err) && err.code.startsWith('LM_') ? 502 : 500, {
    error: 'Prediction failed.',
    code,
  });
}

function reply(res: ServerResponse, status: number, body: unknown): number {
  send(res, status, body);
  return status;
}

const tracer = trace.getTracer('dspy-ts-triage-server');

// One server span per request; dspy-ts's spans (module, predictor, LM request) are its children.
const server = createServer((req, res) => {
  const route = new URL(req.url ?? '/', 'http://localhost').pathname;
  tracer.startActiveSpan(`${req.method} ${route}`, { kind: SpanKind.SERVER }, async (span) => {
    span.setAttributes({ 'http.request.method': req.method ?? '', 'url.path': route });
    const status = await handle(req, res).then(
      () => res.statusCode,
      (err: unknown) => fail(res, err),
    );
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
});

server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : process.env.PORT;
  console.log(`listening on http://127.0.0.1:${port} (LM: ${label}; traces: ${telemetry.target})`);
});

/** Stops taking connections, lets requests in flight finish, flushes the spans, and exits. */
function shutdown(signal: string): void {
  console.log(`${signal}: shutting down`);
  server.close(async () => {
    await telemetry.shutdown();
    process.exit(0);
  });
  server.closeIdleConnections();
  // Requests still open after 10 s are cut.
  setTimeout(() => {
    server.closeAllConnections();
  }, 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
