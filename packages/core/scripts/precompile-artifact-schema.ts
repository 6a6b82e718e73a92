// Writes src/artifact/artifact-validator.generated.js, ajv's standalone validator of the frozen
// artifact's JSON Schema. Run it after changing ARTIFACT_SCHEMA:
//   node --conditions=@dspy-ts/source --import tsx packages/core/scripts/precompile-artifact-schema.ts
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { artifactValidatorModule } from '../src/artifact/precompile.js';

const target = fileURLToPath(new URL('../src/artifact/artifact-validator.generated.js', import.meta.url));
const temp = `${target}.${process.pid}.tmp`;
await writeFile(temp, artifactValidatorModule());
await rename(temp, target);
process.stdout.write(`wrote ${target}\n`);
