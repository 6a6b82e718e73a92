import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactDeep, redactText } from '../../src/utils/redact.js';

describe('redactText', () => {
  it('masks the given secrets and credential-shaped parts, and nothing else', () => {
    expect(redactText('key plainvalue99 and Bearer sk-abcdef123456 here', ['plainvalue99'])).toBe(
      'key *** and Bearer *** here',
    );
    expect(redactText('{"api_key": "xyz", "max_tokens": 100}')).toBe('{"api_key": "***", "max_tokens": 100}');
    expect(redactText('task-force ok')).toBe('task-force ok');
  });
});

describe('redactDeep', () => {
  it('copies errors with their prototype and cause chain, headers, and cycles, masking secrets', () => {
    class ApiError extends Error {
      headers = new Headers({ authorization: 'Bearer zzz', 'x-request-id': 'r1' });
      body: Record<string, unknown> = { token: 'abc', note: 'key s3cr3t-value' };
    }
    const inner = new TypeError('socket s3cr3t-value');
    const err = new ApiError('failed with s3cr3t-value', { cause: inner });
    err.body.self = err.body;
    const copy = redactDeep(err, ['s3cr3t-value']);
    expect(copy).toBeInstanceOf(ApiError);
    expect(copy).not.toBe(err);
    expect(copy.message).toBe('failed with ***');
    expect(copy.stack).not.toContain('s3cr3t-value');
    expect((copy.cause as Error).message).toBe('socket ***');
    expect(copy.cause).toBeInstanceOf(TypeError);
    expect(copy.headers.get('authorization')).toBe('***');
    expect(copy.headers.get('x-request-id')).toBe('r1');
    expect(copy.body).toMatchObject({ token: '***', note: 'key ***' });
    expect(copy.body.self).toBe(copy.body);
    expect(inspect(copy, { depth: 10 })).not.toContain('s3cr3t-value');
    expect(err.message).toBe('failed with s3cr3t-value');
  });
});
