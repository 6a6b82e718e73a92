import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** SHA-256 (hex) of a text. */
export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The file's text, or undefined when it does not exist or cannot be read. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Writes `content` to `path` atomically (a temporary file in the same directory, then a
 * rename), and only when the file's content differs. Returns true when it wrote.
 */
export async function writeIfChanged(path: string, content: string): Promise<boolean> {
  if ((await readText(path)) === content) return false;
  await writeAtomic(path, content);
  return true;
}

/** Writes `content` to `path` through a temporary file and a rename (readers never see half a file). */
export async function writeAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
