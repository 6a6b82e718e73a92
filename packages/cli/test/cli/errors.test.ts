import { DspyError } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';
import { EXIT_FAILED, EXIT_USAGE, exitCodeOf, formatError } from '../../src/index.js';

describe('exit codes', () => {
  it('a metric that failed mid-run is a run failure (1), even when an optimizer reports it', () => {
    const metricError = new DspyError('METRIC_ERROR', 'metric flaky on devset[4] threw: boom', {
      details: { where: 'metric flaky on devset[4]', index: 4, fix: 'Fix the metric.' },
    });
    const viaOptimizer = new DspyError('OPTIMIZER_INVALID', 'BootstrapFewShot: the metric threw: boom', {
      cause: new Error('boom'),
      details: { where: 'BootstrapFewShot.metric', fix: 'Make the metric handle every prediction.' },
    });
    const wrapped = new DspyError('OPTIMIZER_INVALID', 'BootstrapFewShot: the metric threw', {
      cause: metricError,
    });
    expect(exitCodeOf(metricError)).toBe(EXIT_FAILED);
    expect(exitCodeOf(viaOptimizer)).toBe(EXIT_FAILED);
    expect(exitCodeOf(wrapped)).toBe(EXIT_FAILED);
  });

  it('bad options stay bad usage (2)', () => {
    const badOption = new DspyError('OPTIMIZER_INVALID', 'BootstrapRS: numCandidatePrograms must be >= 1', {
      details: { where: 'BootstrapRS.numCandidatePrograms', fix: 'Pass 1 or more.' },
    });
    expect(exitCodeOf(badOption)).toBe(EXIT_USAGE);
  });
});

describe('formatError', () => {
  it('prints where, the example index and the fix of an error and of the DspyError it wraps', () => {
    const cause = new DspyError('METRIC_ERROR', 'the metric threw: boom', {
      details: { where: 'metric flaky', index: 7, fix: 'Guard missing fields in the metric.' },
    });
    const err = new DspyError('OPTIMIZER_INVALID', 'BootstrapFewShot: the metric failed', { cause });
    const text = formatError(err);
    expect(text).toContain('dspy-ts: BootstrapFewShot: the metric failed');
    expect(text).toContain('caused by: the metric threw: boom');
    expect(text).toContain('where: metric flaky');
    expect(text).toContain('example: #7');
    expect(text).toContain('How to fix: Guard missing fields in the metric.');
  });

  it('an outer fix replaces the one of the error it wraps', () => {
    const cause = new DspyError('ARTIFACT_MISMATCH', 'mismatch', { details: { fix: 'api fix' } });
    const err = new DspyError('ARTIFACT_MISMATCH', 'mismatch', { cause, details: { fix: 'cli fix' } });
    expect(formatError(err)).toContain('How to fix: cli fix');
    expect(formatError(err)).not.toContain('api fix');
  });
});
