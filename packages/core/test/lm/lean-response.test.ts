import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LeanHeaders, LeanResponse } from '../../src/lm/lean-response.js';

const make = (body: string, raw: string[] = ['Content-Type', 'application/json']) =>
  new LeanResponse(
    { status: 200, statusText: 'OK', headers: new LeanHeaders(raw), url: 'http://127.0.0.1/v1/x' },
    { kind: 'buffered', bytes: Promise.resolve(Buffer.from(body)) },
  );

describe('LeanHeaders', () => {
  it('reads names case-insensitively, joins repeats and keeps set-cookie apart, as fetch does', () => {
    const h = new LeanHeaders(['X-A', '1', 'x-a', '2', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'B', 'z']);
    expect(h.get('x-A')).toBe('1, 2');
    expect(h.has('b')).toBe(true);
    expect(h.get('missing')).toBeNull();
    expect(h.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect([...h]).toEqual([
      ['b', 'z'],
      ['set-cookie', 'a=1, b=2'],
      ['x-a', '1, 2'],
    ]);
    h.set('X-A', '3');
    h.delete('b');
    expect(Object.fromEntries(h.entries())).toEqual({ 'set-cookie': 'a=1, b=2', 'x-a': '3' });
  });

  it('iterates in name order after every change, and hands out copies of its entries', () => {
    const h = new LeanHeaders(['b', '2', 'a', '1']);
    expect([...h.keys()]).toEqual(['a', 'b']);
    const [first] = [...h.entries()];
    if (first) first[1] = 'changed';
    expect([...h.values()]).toEqual(['1', '2']);
    h.append('c', '3');
    const seen: string[] = [];
    h.forEach((v, k) => {
      seen.push(`${k}=${v}`);
    });
    expect(seen).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('is a Headers to code that checks, and copies into a real one', () => {
    const h = new LeanHeaders(['retry-after', '2']);
    expect(h).toBeInstanceOf(Headers);
    expect(new Headers(h).get('retry-after')).toBe('2');
  });
});

describe('LeanResponse', () => {
  it('is a Response whose body reads once', async () => {
    const res = make('{"a":1}');
    expect(res).toBeInstanceOf(Response);
    expect(res.ok).toBe(true);
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ a: 1 });
    expect(res.bodyUsed).toBe(true);
    await expect(res.text()).rejects.toThrow(/already been read/);
  });

  it('serves a body the transport read and parsed once more, without parsing again', async () => {
    const res = make('{"a":1}');
    const text = await res.text();
    const value = { parsed: true };
    res.reuseBody(text, value);
    expect(await res.json()).toBe(value);
    await expect(res.json()).rejects.toThrow(/already been read/);
  });

  it('streams a buffered body when `body` is read, and clones into an independent copy', async () => {
    const res = make('hello');
    const copy = res.clone();
    const chunks: string[] = [];
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>)
      chunks.push(Buffer.from(c).toString());
    expect(chunks.join('')).toBe('hello');
    await expect(res.text()).rejects.toThrow(/already been read/);
    expect(await copy.text()).toBe('hello');
    expect(await new Response(make('abc').body).text()).toBe('abc');
  });
});

describe('inspecting', () => {
  it('util.inspect prints headers and a response without reading the body', async () => {
    const res = make('{"a":1}', ['Content-Type', 'application/json', 'X-Request-Id', 'r1']);
    expect(res.headers).toBeInstanceOf(Headers);
    expect(inspect(res.headers)).toBe("Headers { 'content-type': 'application/json', 'x-request-id': 'r1' }");
    const printed = inspect(res, { depth: 5 });
    expect(printed).toContain('status: 200');
    expect(printed).toContain("'x-request-id': 'r1'");
    expect(res.bodyUsed).toBe(false);
    expect(await res.json()).toEqual({ a: 1 });
  });
});
