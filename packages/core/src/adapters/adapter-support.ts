/**
 * Everything `loadAdapterSupport()` loads, at once: `JSONAdapter`'s format, jsonrepair, the retry
 * of JSON values without null optional properties and the media content parts. The server entry
 * imports this module at start-up, so that the adapters' synchronous APIs work from the first call.
 */
import { registerJsonFormat } from './json-adapter.js';
import { registerNullOptionalsStripper } from './json-extract.js';
import * as jsonFormat from './json-format.js';
import './json-repair.js';
import * as mediaContent from './media-content.js';
import { registerMediaContent } from './media-parts.js';
import { dropNullOptionals } from './null-optionals.js';

registerJsonFormat(jsonFormat);
registerMediaContent(mediaContent);
registerNullOptionalsStripper(dropNullOptionals);
