/**
 * Everything `loadAdapterSupport()` loads, at once: `JSONAdapter`'s format, jsonrepair and the
 * media content parts. The server entry imports this module at start-up, so that the adapters'
 * synchronous APIs work from the first call.
 */
import { registerJsonFormat } from './json-adapter.js';
import * as jsonFormat from './json-format.js';
import './json-repair.js';
import * as mediaContent from './media-content.js';
import { registerMediaContent } from './media-parts.js';

registerJsonFormat(jsonFormat);
registerMediaContent(mediaContent);
