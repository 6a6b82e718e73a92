import { describe, expect, it, vi } from 'vitest';
import { compileSchema, validateValue } from '../../src/adapters/index.js';
import { DspyError } from '../../src/errors.js';
import { withSettings } from '../../src/settings.js';

describe('compileSchema / validateValue', () => {
  it('validates draft 2020-12 schemas with formats', () => {
    expect(validateValue({ type: 'string', format: 'email' }, 'a@b.co')).toEqual({ ok: true });
    const bad = validateValue({ type: 'string', format: 'email' }, 'nope');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toContain('must match format "email"');
    const tuple = { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false };
    expect(validateValue(tuple, ['a', 1]).ok).toBe(true);
    expect(validateValue(tuple, ['a', 1, 2]).ok).toBe(false);
  });

  it('compiles once per schema object and per equal schema', () => {
    const a = { type: 'object', properties: { x: { type: 'number' } } };
    const b = { properties: { x: { type: 'number' } }, type: 'object' };
    expect(compileSchema(a)).toBe(compileSchema(a));
    expect(compileSchema(a)).toBe(compileSchema(b));
  });

  it('reports every error with its path', () => {
    const result = validateValue(
      { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, required: ['a', 'b'] },
      { a: 'x' },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toContain("(value) must have required property 'b'");
      expect(result.errors).toContain('/a must be integer');
    }
  });

  it('tolerates two schemas with the same $id and resolves local $defs', () => {
    const one = { $id: 'Thing', $defs: { T: { type: 'string' } }, $ref: '#/$defs/T' };
    const two = { $id: 'Thing', $defs: { T: { type: 'number' } }, $ref: '#/$defs/T' };
    expect(validateValue(one, 'x').ok).toBe(true);
    expect(validateValue(two, 1).ok).toBe(true);
    expect(validateValue(two, 'x').ok).toBe(false);
  });

  it('throws a DspyError for a schema ajv cannot compile', () => {
    expect(() => compileSchema({ type: 'strin' })).toThrow(DspyError);
  });
});

describe("ajv's own messages", () => {
  it('go to the logger in force, not to the console', () => {
    const warned: string[] = [];
    const logger = { debug() {}, info() {}, warn: (m: string) => warned.push(m) };
    const consoleWarn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      withSettings({ logger }, () => compileSchema({ type: 'string', format: 'no-such-format' }));
      expect(consoleWarn).not.toHaveBeenCalled();
    } finally {
      consoleWarn.mockRestore();
    }
    expect(warned.length).toBeGreaterThan(0);
    for (const line of warned) expect(line).toMatch(/^ajv: unknown format "no-such-format" ignored/);
  });
});
