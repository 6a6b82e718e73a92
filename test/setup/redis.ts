import { startRedisServer } from '../../packages/testing/src/redis-server.js';

/**
 * Vitest global setup: one real `redis-server` for the whole run (free port, no persistence,
 * temporary directory), its URL in `DSPY_TS_TEST_REDIS_URL`, stopped at the end. Fails the run
 * when the server cannot be found or installed, saying `apt-get install redis-server`.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const redis = await startRedisServer();
  process.env.DSPY_TS_TEST_REDIS_URL = redis.url;
  return () => redis.stop();
}
