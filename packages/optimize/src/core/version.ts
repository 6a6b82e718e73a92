/** The version of `@dspy-ts/optimize` (written into provenance). */
export const OPTIMIZE_VERSION = '0.1.0';
