import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatProgress } from '../../src/internal.js';
import { colorsWanted, paint } from '../../src/utils/colors.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('colours', () => {
  it('follow the terminal unless NO_COLOR or FORCE_COLOR say otherwise', () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('TERM', 'xterm');
    expect(colorsWanted({ isTTY: true })).toBe(true);
    expect(colorsWanted({ isTTY: false })).toBe(false);
    vi.stubEnv('NO_COLOR', '1');
    expect(colorsWanted({ isTTY: true })).toBe(false);
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', '1');
    expect(colorsWanted({ isTTY: false })).toBe(true);
    vi.stubEnv('FORCE_COLOR', '0');
    expect(colorsWanted({ isTTY: true })).toBe(false);
  });

  it('wrap text in ANSI codes only when on', () => {
    expect(paint(true).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(paint(false).red('x')).toBe('x');
    expect(formatProgress(3, 4, 10, 1)).toBe('Average metric: 3.0 / 4 (75.0%) | 4/10 | errors 1');
    expect(formatProgress(3, 4, 10, 1, true)).toContain('\u001b[31merrors 1\u001b[39m');
  });
});
