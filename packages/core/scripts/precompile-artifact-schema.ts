// Writes src/artifact/artifact-schema.generated.ts, the frozen artifact's JSON Schema as its
// validator walks it (only the keywords it checks). Run it after changing ARTIFACT_SCHEMA:
//   node --conditions=@dspy-ts/source --import tsx packages/core/scripts/precompile-artifact-schema.ts
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { artifactValidatorModule } from '../src/artifact/precompile.js';

const target = fileURLToPath(new URL('../src/artifact/artifact-schema.generated.ts', import.meta.url));
const temp = `${target}.${process.pid}.tmp`;
await writeFile(temp, artifactValidatorModule());
await rename(temp, target);
process.stdout.write(`wrote ${target}\n`);
