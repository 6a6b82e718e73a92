import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** The server starts slowly on a busy machine (it loads the TypeScript sources). */
const TIMEOUT = 180_000;

let cache = '';
let child: ChildProcess | undefined;
let stdout = '';
let stderr = '';
let url = '';

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'dspy-ts-server-'));
  child = spawn(process.execPath, ['--conditions=@dspy-ts/source', '--import', 'tsx', 'src/server.ts'], {
    cwd: join(ROOT, 'examples', 'production-server'),
    env: {
      ...process.env,
      PORT: '0',
      DSPY_TS_CACHE_DIR: cache,
      DSPY_TS_LM: '',
      OPENAI_API_KEY: '',
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    };
    child?.stdout?.on('data', onData);
    child?.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${stderr}`)));
  });
}, TIMEOUT);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  if (cache) await rm(cache, { recursive: true, force: true });
});

const post = (body: string, type = 'application/json') =>
  fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': type }, body });

describe('examples/production-server', () => {
  it('serves the health check', async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', program: 'Triage' });
  });

  it('answers POST /predict from the frozen artifact and prints the spans of the request', async () => {
    const res = await post(JSON.stringify({ message: 'Someone stole my wallet and my card.' }));
    expect(res.status, stderr).toBe(200);
    expect(await res.json()).toEqual({ intent: 'lost_or_stolen_card' });
    // The console exporter prints each span as it ends; the request's server span ends last.
    await expect.poll(() => stdout, { timeout: 10_000 }).toContain("name: 'POST /predict'");
    expect(stdout).toContain("name: 'dspy.module Triage'");
    expect(stdout).toContain("name: 'dspy.predict Predict(StringSignature)'");
    expect(stdout).toContain("'gen_ai.operation.name': 'chat'");
    expect(stdout).toContain("'service.name': 'dspy-ts-triage'");
    // No prompt on spans by default.
    expect(stdout).not.toContain('Someone stole my wallet');
  });

  it('answers 400 with a reason for invalid input, 415 for a body that is not JSON', async () => {
    const missing = await post(JSON.stringify({ text: 'hi' }));
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toContain('send only "message"');
    const empty = await post(JSON.stringify({ message: '  ' }));
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: string }).error).toBe('"message" must be a non-empty string.');
    const broken = await post('{"message": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: string }).error).toBe('The body is not valid JSON.');
    expect((await post('message=hi', 'text/plain')).status).toBe(415);
    expect((await fetch(`${url}/predict`)).status).toBe(405);
  });

  it('shuts down gracefully on SIGTERM (exit code 0)', async () => {
    const exited = once(child as ChildProcess, 'exit');
    child?.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout).toContain('SIGTERM: shutting down');
  });
});
