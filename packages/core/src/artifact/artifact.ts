import { DspyError } from '../errors.js';
import { mediaSites } from './media-sites.js';
import { artifactMediaCode } from './media-support.js';
import { assertSafeKeys } from './safe-json.js';
import { schemaProblems } from './schema.js';
import { findSecrets } from './secrets.js';
import type { Artifact } from './types.js';

/**
 * Checks that `value` is a valid artifact: schema (ajv), no `__proto__` keys, nesting at most
 * 256 levels, no secrets in LM settings, well-formed media values (format version 2; their
 * bytes are verified on load; on the web entry, `await loadArtifactMedia()` first for an artifact
 * with media). Throws `ARTIFACT_INVALID` listing every schema problem. `constructor` and `prototype` keys are ordinary data (an LM may answer them).
 */
export function validateArtifact(value: unknown, where = 'artifact'): asserts value is Artifact {
  assertSafeKeys(value, where);
  const problems = schemaProblems(value);
  if (problems.length === 0) {
    const artifact = value as Artifact;
    const lmPlaces: [string, unknown][] = [
      ['/lm', artifact.lm],
      ...Object.entries(artifact.predictors).map(([p, s]): [string, unknown] => [
        `/predictors/${p}/lm`,
        s.lm,
      ]),
    ];
    for (const [at, lm] of lmPlaces)
      for (const s of findSecrets(lm)) problems.push(`${at}${s}: looks like a secret`);
    const sites = mediaSites(artifact);
    if (sites.length > 0) {
      const { storedMediaProblems } = artifactMediaCode(where);
      for (const site of sites) problems.push(...storedMediaProblems(site));
    }
  }
  if (problems.length > 0) {
    const looksLikeDspy = !!value && typeof value === 'object' && 'metadata' in value && !('format' in value);
    throw new DspyError(
      'ARTIFACT_INVALID',
      `${where} is not a valid dspy-ts artifact:\n  ${problems.join('\n  ')}`,
      {
        details: {
          where,
          problems,
          fix: looksLikeDspy
            ? 'This looks like a state saved by Python DSPy: load it with importDspyState(json, program).'
            : 'Save the program again with program.save(path); never store API keys in an artifact.',
        },
      },
    );
  }
}
