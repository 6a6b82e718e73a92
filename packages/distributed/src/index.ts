/**
 * `@dspy-ts/distributed`: evaluation and optimizer candidate evaluations spread over BullMQ
 * workers on Redis (`QueueRunner`, `startWorker`).
 * @packageDocumentation
 */
export type { RedisConnection } from './connection.js';
export {
  DEFAULT_QUEUE,
  type EvaluateJobData,
  type EvaluateJobResult,
  type EvaluateRunData,
  type ExampleResult,
} from './protocol.js';
export { QueueRunner, type QueueRunnerOptions } from './queue-runner.js';
export {
  type DistributedWorker,
  type ProgramConstructor,
  type ProgramSource,
  startWorker,
  type WorkerCloseOptions,
  type WorkerEvent,
  type WorkerOptions,
} from './worker.js';
