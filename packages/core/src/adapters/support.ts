import { loadJsonFormat } from './json-adapter.js';
import { loadJsonRepair, loadNullOptionalsStripper } from './json-extract.js';
import { loadMediaContent } from './media-parts.js';

/**
 * Loads what the adapters' synchronous APIs may need beyond the start-up code of the web entry:
 * `JSONAdapter`'s format (also `ChatAdapter`'s fallback), jsonrepair (which reads the malformed
 * JSON a model sometimes writes) and the content parts that carry media to a model. Adapters'
 * `call`, streaming and every module load what a call needs by themselves, so an app only calls
 * this before a synchronous API of its own (`JSONAdapter`'s `format` or `parse`, any adapter's
 * `parse` of malformed JSON or `format` of media) in a browser or worker; the server entry of
 * `@dspy-ts/core` loads all of it at start-up.
 *
 * @example
 * ```ts
 * await loadAdapterSupport();
 * new JSONAdapter().parse(spec, "{'answer': 'Paris',}");
 * ```
 */
export async function loadAdapterSupport(): Promise<void> {
  await Promise.all([loadJsonFormat(), loadJsonRepair(), loadNullOptionalsStripper(), loadMediaContent()]);
}
