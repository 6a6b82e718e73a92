/**
 * `@dspy-ts/core/offline`: the offline default model, a deterministic in-context learner that
 * needs no network and no API key. `new LM('offline')` loads this module on first use; import
 * it directly to use {@link OfflineLM} on its own.
 *
 * @example
 * ```ts
 * import { OfflineLM } from '@dspy-ts/core/offline';
 * configure({ lm: new OfflineLM() });
 * ```
 * @packageDocumentation
 */
export { OfflineLM, type OfflineLMOptions } from './offline-lm.js';
