import { DspyError } from '../errors.js';
import { nodeBuiltin } from '../runtime/node-builtins.js';

/**
 * Writes `text` (UTF-8) or bytes to `path` atomically: a temporary file in the same directory is written,
 * flushed to disk, then renamed over `path`. A crash or failure leaves either the old file or
 * the new one, never a partial one; the temporary file is removed on failure.
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array): Promise<void> {
  const fix =
    'Writing files needs a file system (Node, Bun, Deno); elsewhere serialise the artifact with toArtifact(program) and store it yourself.';
  const { mkdir, open, rename, rm } = nodeBuiltin(
    'node:fs',
    `writing '${path}'`,
    'ARTIFACT_IO',
    fix,
  ).promises;
  const { basename, dirname, join } = nodeBuiltin('node:path', `writing '${path}'`, 'ARTIFACT_IO', fix);
  const random = nodeBuiltin('node:crypto', `writing '${path}'`, 'ARTIFACT_IO', fix)
    .randomBytes(4)
    .toString('hex');
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${random}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', 0o644);
    try {
      await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new DspyError('ARTIFACT_IO', `Could not write '${path}': ${reason}`, {
      cause: err,
      details: {
        where: path,
        fix: 'Check that the directory is writable and that the path is not a directory.',
      },
    });
  }
}
