/**
 * A small `Response` and `Headers` for the `node:http` transport. The `openai` SDK reads a
 * response's status, a few headers and its body as JSON, text or a stream; building web
 * `Response` and `Headers` objects for that costs more per request than the rest of the
 * transport together, so these classes keep what was received as it came and do the work only
 * when it is asked for. Both answer `instanceof Response` / `instanceof Headers` (their
 * prototypes are linked to the web classes on first use, every member being their own), so
 * code that checks for a real `Response` accepts them.
 */

/** Node's `util.inspect` hook: the web classes' own reads private state these objects lack. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** The `inspect` function Node passes to an inspect hook. */
type InspectFn = (value: unknown, options: object) => string;

let linked = false;

/** Links the prototypes on first use (touching the `Response` global loads Node's fetch). */
function linkPrototypes(): void {
  if (linked) return;
  linked = true;
  Object.setPrototypeOf(LeanHeaders.prototype, Headers.prototype);
  Object.setPrototypeOf(LeanResponse.prototype, Response.prototype);
}

/** Response headers (lower-cased names; repeated fields joined with `, ` as `fetch` does). */
export class LeanHeaders implements Headers {
  readonly #map: Map<string, string>;
  readonly #setCookie: string[] = [];
  /** The entries in name order, made on first iteration and dropped on change. */
  #sorted: [string, string][] | undefined;

  /** From Node's raw header list: `[name, value, name, value, ...]`. */
  constructor(raw: readonly string[] = []) {
    linkPrototypes();
    this.#map = new Map();
    for (let i = 0; i + 1 < raw.length; i += 2) this.append(raw[i] as string, raw[i + 1] as string);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === 'set-cookie') this.#setCookie.push(value);
    const had = this.#map.get(key);
    this.#map.set(key, had === undefined ? value : `${had}, ${value}`);
    this.#sorted = undefined;
  }

  delete(name: string): void {
    const key = name.toLowerCase();
    if (key === 'set-cookie') this.#setCookie.length = 0;
    this.#map.delete(key);
    this.#sorted = undefined;
  }

  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }

  getSetCookie(): string[] {
    return [...this.#setCookie];
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key === 'set-cookie') this.#setCookie.splice(0, this.#setCookie.length, value);
    this.#map.set(key, value);
    this.#sorted = undefined;
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [k, v] of this.#entries()) callback.call(thisArg, v, k, this);
  }

  /** In name order, as `Headers` iterates. */
  entries(): IterableIterator<[string, string]> {
    return this.#entries()
      .map((e): [string, string] => [e[0], e[1]])
      .values();
  }

  keys(): IterableIterator<string> {
    return this.#entries()
      .map((e) => e[0])
      .values();
  }

  values(): IterableIterator<string> {
    return this.#entries()
      .map((e) => e[1])
      .values();
  }

  #entries(): readonly [string, string][] {
    this.#sorted ??= [...this.#map].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return this.#sorted;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }

  /** How `util.inspect` (and so `console.log` of an error holding these headers) prints them. */
  [INSPECT](_depth: number, options: object, inspect: InspectFn): string {
    return `Headers ${inspect(Object.fromEntries(this.#entries()), options)}`;
  }
}

/** Where a {@link LeanResponse}'s body comes from: the whole bytes (awaited) or a web stream. */
export type LeanBody =
  | { readonly kind: 'buffered'; readonly bytes: Promise<Buffer> }
  | { readonly kind: 'stream'; readonly stream: ReadableStream<Uint8Array> };

/** Status line and headers of a {@link LeanResponse}. */
export interface LeanResponseInit {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LeanHeaders;
  readonly url: string;
}

function used(): Promise<never> {
  return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
}

/**
 * The `Response` the transport hands the SDK. A buffered body is served from its bytes
 * (`text()`, `json()`, ...), and as a one-chunk stream only if `body` is read; a streamed body
 * (server-sent events) is a web `ReadableStream`.
 */
export class LeanResponse implements Response {
  readonly status: number;
  readonly statusText: string;
  readonly headers: LeanHeaders;
  readonly url: string;
  readonly redirected = false;
  readonly type = 'basic' as const;
  #source: LeanBody;
  #used = false;
  #stream: ReadableStream<Uint8Array> | undefined;
  #parsed: { readonly text: string; readonly value: unknown } | undefined;

  constructor(init: LeanResponseInit, body: LeanBody) {
    linkPrototypes();
    this.status = init.status;
    this.statusText = init.statusText;
    this.headers = init.headers;
    this.url = init.url;
    this.#source = body;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** The body as a web stream (made on first access; then the text methods refuse, as `fetch`'s do). */
  get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream) return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>>;
    if (this.#used) return null;
    const source = this.#source;
    this.#stream =
      source.kind === 'stream'
        ? source.stream
        : new ReadableStream<Uint8Array>({
            async start(controller) {
              try {
                controller.enqueue(new Uint8Array(await source.bytes));
                controller.close();
              } catch (err) {
                controller.error(err);
              }
            },
          });
    return this.#stream as ReadableStream<Uint8Array<ArrayBuffer>>;
  }

  /** The whole body once; a second read (or a read after `body`) rejects. */
  #take(): Promise<Buffer> {
    if (this.#used || this.#stream) return used();
    this.#used = true;
    const source = this.#source;
    return source.kind === 'buffered' ? source.bytes : readStream(source.stream);
  }

  text(): Promise<string> {
    const parsed = this.#parsed;
    if (parsed && !this.#used) {
      this.#used = true;
      return Promise.resolve(parsed.text);
    }
    return this.#take().then((b) => b.toString('utf8'));
  }

  json(): Promise<unknown> {
    const parsed = this.#parsed;
    if (parsed && !this.#used) {
      this.#used = true;
      return Promise.resolve(parsed.value);
    }
    return this.text().then((t) => JSON.parse(t) as unknown);
  }

  /**
   * Makes the body readable once more, as `text` (and `json()` answers `value` without parsing
   * again): the transport reads a body whole before the SDK does.
   */
  reuseBody(text: string, value: unknown): void {
    this.#parsed = { text, value };
    this.#used = false;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }

  bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#take().then((b) => new Uint8Array(b) as Uint8Array<ArrayBuffer>);
  }

  blob(): Promise<Blob> {
    const type = this.headers.get('content-type') ?? '';
    return this.#take().then((b) => new Blob([new Uint8Array(b)], { type }));
  }

  formData(): Promise<FormData> {
    return Promise.reject(new TypeError('formData() is not supported by this transport'));
  }

  /** How `util.inspect` prints the response (without touching its body). */
  [INSPECT](_depth: number, options: object, inspect: InspectFn): string {
    const { status, statusText, headers, url, bodyUsed } = this;
    return `Response ${inspect({ status, statusText, headers, url, bodyUsed }, options)}`;
  }

  /** A copy with its own body (the bytes are shared; a streamed body is teed). */
  clone(): Response {
    if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.');
    const init = { status: this.status, statusText: this.statusText, headers: this.headers, url: this.url };
    const source = this.#source;
    if (source.kind === 'buffered' && !this.#stream) return new LeanResponse(init, source);
    const [a, b] = (this.body as ReadableStream<Uint8Array>).tee();
    this.#stream = a;
    return new LeanResponse(init, { kind: 'stream', stream: b });
  }
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
