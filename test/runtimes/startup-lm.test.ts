// What the web start-up bundle of the runtime app leaves to lazy chunks on the LM side: pieces
// a Predict over an LM with a baseURL does not use (the disk and Redis cache work, the node:http
// transport, the OpenTelemetry instrumentation with nothing registered, streaming, running tools,
// budgets, abort signals, the offline model, the tools check, failed attempts and the mapping of a
// failed call to its error) load only when an app uses them (or a call fails). Each piece's own
// tests show it still works when used.
import { beforeAll, describe, expect, it } from 'vitest';
import { type SplitBundle, splitApp } from './harness.js';

const LAZY = [
  'packages/core/src/lm/budget-exhausted.ts',
  'packages/core/src/lm/cache/check.ts',
  'packages/core/src/lm/cache/disk-io.ts',
  'packages/core/src/lm/cache/redis-io.ts',
  'packages/core/src/lm/call-signal.ts',
  'packages/core/src/lm/call-stream.ts',
  'packages/core/src/lm/http-node.ts',
  'packages/core/src/lm/lean-response.ts',
  'packages/core/src/lm/lm-errors.ts',
  'packages/core/src/lm/lm-failures.ts',
  'packages/core/src/lm/lm-stream.ts',
  'packages/core/src/lm/offline-call.ts',
  'packages/core/src/lm/tool-call-assembler.ts',
  'packages/core/src/lm/tool-request.ts',
  'packages/core/src/lm/transport-faults.ts',
  'packages/core/src/lm/usage-budget.ts',
  'packages/core/src/telemetry/instrumentation.ts',
  'packages/core/src/telemetry/lm.ts',
  'packages/core/src/telemetry/spans.ts',
  'packages/core/src/telemetry/span.ts',
  'packages/core/src/telemetry/provider.ts',
  'packages/core/src/tools/execute.ts',
];

let split: SplitBundle;
beforeAll(async () => {
  split = await splitApp('worker.ts', 'browser');
}, 120_000);

describe('the web start-up bundle of a Predict over an LM', () => {
  it('leaves the LM pieces the app does not use to chunks loaded on demand', () => {
    expect(split.initialInputs.filter((f) => LAZY.includes(f))).toEqual([]);
    expect(LAZY.filter((f) => !split.lazyInputs.includes(f))).toEqual([]);
  });

  it('leaves out the disk, Redis and tiered cache classes: the web entry has them with configureCache', () => {
    const tiers = ['disk.ts', 'redis.ts', 'tiered.ts'].map((f) => `packages/core/src/lm/cache/${f}`);
    expect(split.initialInputs.filter((f) => tiers.includes(f))).toEqual([]);
    expect(split.initialInputs).toContain('packages/core/src/lm/cache/memory.ts');
  });

  it('leaves out the budget estimates and ledger: a capped trackUsage hands them to its budget', () => {
    expect(split.initialInputs).not.toContain('packages/core/src/lm/budget.ts');
    expect(split.initialInputs).toContain('packages/core/src/lm/usage.ts');
  });

  it('loads neither p-limit nor a SHA-256 package: core has small ones of its own', () => {
    expect(split.initialInputs.filter((f) => /node_modules\/.*(p-limit|yocto-queue|@noble)/.test(f))).toEqual(
      [],
    );
    expect(split.initialInputs).toContain('packages/core/src/runtime/sha256.ts');
  });
});
