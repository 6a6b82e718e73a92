import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@dspy-ts/source'] },
  ssr: { resolve: { conditions: ['@dspy-ts/source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
    ],
    typecheck: { enabled: false },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // A real redis-server for the Redis cache tests (URL in DSPY_TS_TEST_REDIS_URL).
    globalSetup: ['test/setup/redis.ts'],
    // Tests run as a Node app does: the server entry of @dspy-ts/core loads ajv and the adapters' lazy pieces at start-up, so
    // tests that import core's modules directly validate synchronously from the first call (and the default LM cache has
    // its disk and Redis layers, and @Signature() methods have their specs at once).
    setupFiles: [
      'packages/core/src/ajv.ts',
      'packages/core/src/adapters/adapter-support.ts',
      'packages/core/src/lm/cache/tiers.ts',
      'packages/core/src/signature/method-support-eager.ts',
    ],
    env: { DSPY_TS_CACHE_DIR: '' },
  },
});
