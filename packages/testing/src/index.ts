/**
 * `@dspy-ts/testing`: language models and an OpenAI-protocol server for tests, examples and
 * benchmarks, all without a network.
 * @packageDocumentation
 */
export { FAULT_HEADER, FaultPlanner, isFaultKind } from './server/faults.js';
export { ROLLOUT_HEADER } from './server/protocol.js';
export { startTestServer } from './server/test-server.js';
export {
  FAULT_KINDS,
  type FaultKind,
  type FaultOptions,
  type LatencyOption,
  type RecordedOutcome,
  type RecordedRequest,
  type TestServer,
  type TestServerOptions,
} from './server/types.js';
