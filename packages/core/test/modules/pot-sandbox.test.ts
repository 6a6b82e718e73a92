import { type DspyError, runSandboxed } from '@dspy-ts/core';
import { describe, expect, it } from 'vitest';

async function failure(code: string, opts = {}): Promise<DspyError> {
  try {
    await runSandboxed(code, { timeoutMs: 300, memoryLimitBytes: 16 * 1024 * 1024, ...opts });
  } catch (e) {
    expect((e as DspyError).code).toBe('SANDBOX_ERROR');
    return e as DspyError;
  }
  throw new Error(`expected ${code} to fail`);
}

describe('runSandboxed', () => {
  it('returns the completion value and the printed output, with JSON globals', async () => {
    const r = await runSandboxed(
      'console.log("n is", inputs.n, { a: [1] }); const sum = inputs.list.reduce((s, x) => s + x, 0); ({ sum, twice: inputs.n * 2 })',
      { globals: { inputs: { n: 21, list: [1, 2, 3] } } },
    );
    expect(r.value).toEqual({ sum: 6, twice: 42 });
    expect(r.output).toBe('n is 21 {"a":[1]}');
    expect(r.truncated).toBe(false);
    const awaited = await runSandboxed('(async () => { await null; return 7; })()');
    expect(awaited.value).toBe(7);
    const none = await runSandboxed('let x = 1;');
    expect(none.value).toBeUndefined();
  });

  it('keeps __proto__ keys of globals as plain data', async () => {
    const r = await runSandboxed('Object.keys(inputs).join(",") + ":" + typeof inputs.polluted', {
      globals: { inputs: JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as unknown },
    });
    expect(r.value).toBe('__proto__,a:undefined');
  });

  it('has no process', async () => {
    const err = await failure('process.exit(1)');
    expect(err.details.kind).toBe('runtime');
    expect(err.message).toContain("ReferenceError: 'process' is not defined");
    expect(err.message).toContain(
      'the sandbox has no process, require, modules, timers, filesystem or network access',
    );
  });

  it('has no require', async () => {
    const err = await failure('require("fs").readFileSync("/etc/passwd", "utf8")');
    expect(err.details.kind).toBe('runtime');
    expect(err.message).toContain("'require' is not defined");
  });

  it('cannot reach the host through the Function constructor', async () => {
    const err = await failure("globalThis.constructor.constructor('return process')()");
    expect(err.details.kind).toBe('runtime');
    expect(err.message).toContain("'process' is not defined");
    const fetchErr = await failure('fetch("http://127.0.0.1/")');
    expect(fetchErr.message).toContain("'fetch' is not defined");
  });

  it('cannot import modules', async () => {
    const err = await failure("import('fs')");
    expect(err.details.kind).toBe('runtime');
    expect(err.message).toContain("could not load module 'fs'");
    const statement = await failure("import fs from 'fs'; fs.readFileSync('/etc/passwd')");
    expect(statement.message).toContain("could not load module 'fs'");
  });

  it('stops an infinite loop at the CPU-time limit', async () => {
    const err = await failure('while (true) {}', { timeoutMs: 100 });
    expect(err.details.kind).toBe('timeout');
    expect(err.message).toContain('ran past its CPU-time limit of 100 ms');
    const asyncLoop = await failure('(async () => { await null; for (;;) {} })()', { timeoutMs: 100 });
    expect(asyncLoop.details.kind).toBe('timeout');
  });

  it('stops a memory bomb at the memory limit', async () => {
    const err = await failure('let s = "x"; while (true) s += s;', { timeoutMs: 20_000 });
    expect(err.details.kind).toBe('memory');
    expect(err.message).toContain(`ran out of memory (limit ${16 * 1024 * 1024} bytes)`);
    const arrays = await failure('new Array(1e8).fill(0)', { timeoutMs: 20_000 });
    expect(arrays.details.kind).toBe('memory');
  });

  it('stops one long built-in call at the CPU-time limit by terminating its thread', async () => {
    const err = await failure('new Array(1e7).fill(0).length', {
      timeoutMs: 100,
      memoryLimitBytes: 512 * 1024 * 1024,
    });
    expect(err.details.kind).toBe('timeout');
    expect(err.message).toContain('ran past its CPU-time limit of 100 ms');
    const after = await runSandboxed('inputs.n + 1', { globals: { inputs: { n: 1 } } });
    expect(after.value).toBe(2);
  });

  it('runs concurrent jobs apart; one overrun does not disturb the others', async () => {
    const jobs = Array.from({ length: 6 }, (_, i) =>
      i === 2
        ? failure('new Array(1e7).fill(0).length', {
            timeoutMs: 100,
            memoryLimitBytes: 512 * 1024 * 1024,
          }).then((e) => e.details.kind)
        : runSandboxed(`let s = 0; for (let k = 0; k < 1e4; k++) s += k; s + ${i}`).then((r) => r.value),
    );
    expect(await Promise.all(jobs)).toEqual([49995000, 49995001, 'timeout', 49995003, 49995004, 49995005]);
  });

  it('runs in the calling thread with worker: false, with a best-effort time check only', async () => {
    const r = await runSandboxed('console.log("here"); 6 * 7', { worker: false });
    expect(r).toEqual({ value: 42, output: 'here', truncated: false, valueTruncated: false });
    const err = await failure('while (true) {}', { timeoutMs: undefined, worker: false });
    expect(err.details.kind).toBe('timeout');
  });

  it('refuses worker: false with a timeoutMs it cannot enforce; the worker stops a catastrophic regex', async () => {
    const refused = await failure('1', { timeoutMs: 300, worker: false });
    expect(refused.details).toMatchObject({ kind: 'options', where: 'runSandboxed' });
    expect(refused.message).toContain('timeoutMs: 300 cannot be enforced with worker: false');
    expect(String(refused.details.fix)).toContain('leave timeoutMs out');
    const regex = await failure('/^(a+)+$/.test("a".repeat(40) + "b")', { timeoutMs: 300 });
    expect(regex.details.kind).toBe('timeout');
  });

  it('cuts a long result value like long output', async () => {
    const long = await runSandboxed('"x".repeat(3_000_000)', { memoryLimitBytes: 64 * 1024 * 1024 });
    expect(long.valueTruncated).toBe(true);
    expect(long.value).toBe('x'.repeat(20_000));
    const json = await runSandboxed('Array.from({ length: 50 }, (_, i) => i)', { maxOutputChars: 10 });
    expect(json).toMatchObject({ value: '[0,1,2,3,4', valueTruncated: true, truncated: false });
    const big = await runSandboxed('10n ** 40n', { maxOutputChars: 10 });
    expect(big).toMatchObject({ value: '1000000000', valueTruncated: true });
    const short = await runSandboxed('({ a: "0123456789" })', { maxOutputChars: 20 });
    expect(short).toMatchObject({ value: { a: '0123456789' }, valueTruncated: false });
  });

  it('reports stack overflows, syntax errors and promises that never settle', async () => {
    const stack = await failure('function f() { return f() + 1; } f()');
    expect(stack.details.kind).toBe('stack');
    expect(stack.message).toContain('overflowed its stack');
    const syntax = await failure('const = 1');
    expect(syntax.details.kind).toBe('syntax');
    expect(syntax.message).toMatch(/does not parse: SyntaxError/);
    expect((await failure('new Promise(() => {})')).details.kind).toBe('pending');
    expect((await failure('setTimeout(() => 1, 10)')).message).toContain("'setTimeout' is not defined");
  });

  it('gives each run a fresh context and still works after failures', async () => {
    await failure('globalThis.leak = 1; while (true) {}', { timeoutMs: 50 });
    const r = await runSandboxed('typeof globalThis.leak');
    expect(r.value).toBe('undefined');
  });

  it('cuts long output and rejects bad options', async () => {
    const r = await runSandboxed('for (let i = 0; i < 100; i++) console.log("0123456789")', {
      maxOutputChars: 25,
    });
    expect(r.truncated).toBe(true);
    expect(r.output.length).toBeLessThanOrEqual(25);
    await expect(runSandboxed('1', { timeoutMs: -1 })).rejects.toThrow(/timeoutMs must be a positive number/);
    await expect(runSandboxed('1', { globals: { 'not-a-name': 1 } })).rejects.toThrow(
      /cannot be a global name/,
    );
  });
});
