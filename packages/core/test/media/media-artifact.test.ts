import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DspyError, Image, Predict } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { png } from './fixtures.js';

describe('saving demos that hold media', () => {
  it('is a clear ARTIFACT_INVALID error naming the demo, and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dspy-media-artifact-'));
    try {
      const reader = new Predict('receipt: Image -> total: number');
      reader.demos = [{ receipt: await Image.fromBytes(png(2, 2)), total: 3 }];
      const error = await reader.save(join(dir, 'reader.json')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DspyError);
      expect(error).toMatchObject({ code: 'ARTIFACT_INVALID' });
      expect((error as DspyError).message).toMatch(/demo 0 holds media \(<image: sha256:/);
      expect((error as DspyError).details.fix).toMatch(/media demos/);
      await expect(stat(join(dir, 'reader.json'))).rejects.toThrow();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
