import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, run } from './helpers.js';

let cache = '';
const env = () => ({ DSPY_TS_CACHE_DIR: cache, DSPY_TS_LM: '', OPENAI_API_KEY: '' });
const TIMEOUT = 180_000;

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'dspy-ts-examples-'));
});
afterAll(async () => {
  if (cache) await rm(cache, { recursive: true, force: true });
});

/** Runs an example's `start` script (the build step when it has one, then its entry file). */
async function start(name: string, entry: string, build: boolean) {
  const cwd = join(ROOT, 'examples', name);
  if (build) {
    const res = await run(process.execPath, [BIN, 'build'], { cwd, env: env() });
    expect(res.code, res.stderr).toBe(0);
  }
  return run(process.execPath, ['--conditions=@dspy-ts/source', '--import', 'tsx', entry], {
    cwd,
    env: env(),
  });
}

describe('each example runs offline', () => {
  it.concurrent(
    'agent: the support agent over typed tools and an MCP server scores higher on held-out messages once compiled',
    async () => {
      const res = await start('agent', 'src/main.ts', true);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(
        'tools: lookupOrder, trackParcel, openRefund, find_customer, store_policy',
      );
      const [, before, after] =
        /zero-shot ([\d.]+)% → compiled ([\d.]+)% \(held-out task success\)/.exec(res.stdout) ?? [];
      expect(Number(after)).toBeGreaterThan(Number(before));
      // The run shown opened the refund the customer asked for.
      expect(res.stdout).toMatch(
        /openRefund\(\{"orderId":"(ORD-\d+)".*\n\s+→ \{"refundId":"RF-\d+","orderId":"\1"/,
      );
    },
    TIMEOUT,
  );

  it.concurrent(
    'agent (calculator): ReAct calls the typed tools natively, two in one turn, and solves the GSM8K sample',
    async () => {
      const res = await start('agent', 'src/calculator/main.ts', false);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toMatch(
        /turn 1:\n\s+lookup\(\{"term":"day"\}\) -> 1 day = 24 hours\n\s+calculator\(\{"expression":"16-3-4"\}\) -> 9/,
      );
      expect(res.stdout).toContain('solved 100.0% of 8 GSM8K questions');
    },
    TIMEOUT,
  );

  it.concurrent(
    'method-signatures: the app loads the frozen artifact and answers typed',
    async () => {
      const res = await start('method-signatures', 'src/app.ts', true);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('loaded artifacts/support-desk.json');
      expect(res.stdout).toContain('-> lost_or_stolen_card:');
    },
    TIMEOUT,
  );

  it.concurrent(
    'receipts: image demos are bootstrapped, saved beside the artifact and reloaded in a fresh process',
    async () => {
      const res = await start('receipts', 'src/main.ts', true);
      expect(res.code, res.stderr).toBe(0);
      const [, demos] = /compiled: \d+ candidate programs tried; (\d+) image demos/.exec(res.stdout) ?? [];
      expect(Number(demos)).toBeGreaterThan(0);
      expect(res.stdout).toContain(
        `fresh process: loaded ${demos} demos holding ${demos} receipt images (each checked by SHA-256)`,
      );
      const media = join(ROOT, 'examples/receipts/out/receipt-reader.media');
      const files = await readdir(media);
      expect(files).toHaveLength(Number(demos));
      for (const f of files) expect(f).toMatch(/^[0-9a-f]{64}\.png$/);
      // OfflineLM recognises the receipts its demos hold, and says its scores are not vision.
      expect(res.stdout).toMatch(/receipts the demos hold: 100\.0% of fields right/);
      expect(res.stdout).toContain('OfflineLM does not read images');
      expect(res.stdout).toMatch(/held-out receipts: baseline [\d.]+% → compiled [\d.]+% \(fields right\)/);
      // Per field, baseline and compiled: the four shares average to the overall score.
      const overall = [...res.stdout.matchAll(/(?:baseline \(zero-shot\)|compiled): .*?([\d.]+)% /g)].map(
        (m) => Number(m[1]),
      );
      const fields = [
        ...res.stdout.matchAll(/per field: merchant (\d+)% · total (\d+)% · date (\d+)% · currency (\d+)%/g),
      ].map((m) => m.slice(1).reduce((a, b) => a + Number(b), 0) / 4);
      expect(fields).toHaveLength(2);
      expect(fields).toEqual(overall);
    },
    TIMEOUT,
  );

  it.concurrent(
    'rag: multi-hop RAG over the Embeddings retriever scores higher on held-out questions once compiled with BootstrapRS',
    async () => {
      const res = await start('rag', 'src/main.ts', false);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('retriever: Embeddings over TF-IDF hashing embedding');
      expect(res.stdout).toMatch(/BootstrapRS: \d+ candidates/);
      // The offline embedding finds the source paragraph of most held-out questions.
      const [, found, total] =
        /recall@2 with the question as the query (\d+) of (\d+)/.exec(res.stdout) ?? [];
      expect(Number(found)).toBeGreaterThanOrEqual(0.6 * Number(total));
      const [, before, after] =
        /zero-shot F1 ([\d.]+) → compiled F1 ([\d.]+) \(held-out\); recall@4 [\d.]+% → [\d.]+%/.exec(
          res.stdout,
        ) ?? [];
      expect(Number(after)).toBeGreaterThan(Number(before));
    },
    TIMEOUT,
  );
});
