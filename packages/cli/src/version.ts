import { createRequire } from 'node:module';

/** The version of `@dspy-ts/cli` (from its package.json). */
export const CLI_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
