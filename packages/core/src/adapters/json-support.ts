/**
 * Everything `loadJsonSupport()` loads, at once: jsonrepair and `JSONAdapter`'s format. The server
 * entry imports this module at start-up, so that the synchronous APIs work from the first call.
 */
import { registerJsonFormat } from './json-adapter.js';
import * as jsonFormat from './json-format.js';
import './json-repair.js';

registerJsonFormat(jsonFormat);
