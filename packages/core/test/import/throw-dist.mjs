// Run in a fresh process (`node throw-dist.mjs <@dspy-ts/core entry>`): a string signature that
// does not parse makes the built entry throw a DspyError that nothing catches, as in an app.
import { pathToFileURL } from 'node:url';

const core = await import(pathToFileURL(process.argv[2] ?? '').href);
core.signature('question: string =>');
