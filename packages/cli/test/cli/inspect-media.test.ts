import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, Predict } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { bigPng, png } from '../../../core/test/media/fixtures.js';
import { EXIT_OK, type Io, runCli } from '../../src/index.js';

describe('dspy-ts inspect on an artifact whose demos hold media', () => {
  it('shows each media value by kind, hash, type and size, never its bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-inspect-media-'));
    try {
      const reader = new Predict('receipt: Image -> total: number');
      const small = await Image.fromBytes(png(2, 2, 3));
      reader.demos = [
        { receipt: small, total: 1 },
        { receipt: await Image.fromBytes(bigPng(80_000)), total: 2 },
      ];
      const path = join(dir, 'reader.json');
      await reader.save(path);
      let out = '';
      const io: Io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => undefined } };
      expect(await runCli(['inspect', path], io)).toBe(EXIT_OK);
      expect(out).toContain('format 2');
      expect(out).toContain(
        `receipt=<image: sha256:${small.sha256?.slice(0, 16)}, image/png, ${small.byteLength} B>`,
      );
      expect(out).not.toContain('iVBORw0K'); // the start of a PNG in base64
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
