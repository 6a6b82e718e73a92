/**
 * jsonrepair, registered as the repair step of reading JSON out of completions. The server entry
 * imports this module at start-up; the web entry loads it on the first completion whose JSON is
 * malformed (`loadJsonRepair`), so that well-formed answers never load it.
 */
import { jsonrepair } from 'jsonrepair';
import { registerJsonRepair } from './json-extract.js';

registerJsonRepair(jsonrepair);

/** jsonrepair's repair function (what `loadJsonRepair()` installs when it imports this module). */
export const repairJson: (text: string) => string = jsonrepair;
