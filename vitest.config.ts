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
    env: { DSPY_TS_CACHE_DIR: '' },
  },
});
