/**
 * `@dspy-ts/distributed`: evaluation and optimizer candidate evaluations spread over BullMQ
 * workers on Redis (`QueueRunner`, `startWorker`), with budgets shared through Redis
 * (`RedisBudgetLedger`).
 * @packageDocumentation
 */
export type { RedisConnection } from './connection.js';
export {
  DEFAULT_QUEUE,
  type EvaluateJobData,
  type EvaluateJobResult,
  type EvaluateRunData,
  type ExampleResult,
  type RunBudget,
} from './protocol.js';
export { QueueRunner, type QueueRunnerOptions } from './queue-runner.js';
export { DEFAULT_BUDGET_PREFIX, RedisBudgetLedger, type RedisBudgetLedgerOptions } from './redis-ledger.js';
export {
  type DistributedWorker,
  type ProgramConstructor,
  type ProgramSource,
  startWorker,
  type WorkerCloseOptions,
  type WorkerEvent,
  type WorkerOptions,
} from './worker.js';
