// Child process of disk-cache.test.ts: one lookup, reported to the parent (a hang is the parent's to detect).
import { DiskCache } from '../../../src/lm/cache/disk.js';

const [dir, key] = process.argv.slice(2);
const got = await new DiskCache(dir ?? '').get(key ?? '');
process.send?.({ hit: got !== undefined });
