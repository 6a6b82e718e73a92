import type { SignatureSpec } from '../signature/spec.js';
import { MARKER_RE } from './sections.js';

/** Text added to one output field. */
export interface FieldDelta {
  readonly field: string;
  readonly delta: string;
}

/** Any prefix of a `[[ ## name ## ]]` marker (so the rest of the line must be held back). */
const MARKER_PREFIX =
  /^\[(?:\[(?:\s*(?:#(?:#(?:\s*(?:\w+(?:\s*(?:#(?:#(?:\s*(?:\](?:\])?)?)?)?)?)?)?)?)?)?)?)?$/;
const NON_SPACE = /\S/;

/**
 * Reads a chat-format completion as it streams and yields per-field deltas as soon as they
 * are unambiguous: a line that may still become a marker is held back, and so is whitespace
 * that may turn out to end a value. Joined, a field's deltas equal what `ChatAdapter.parse`
 * reads for it before coercion (the same sections, the same trimming).
 *
 * @example
 * ```ts
 * const parser = new ChatStreamParser(spec);
 * for await (const chunk of lm.stream(request)) for (const d of parser.push(chunk.delta)) show(d);
 * for (const d of parser.end()) show(d);
 * ```
 */
export class ChatStreamParser {
  private readonly wanted: ReadonlySet<string>;
  private readonly seen = new Set<string>();
  /** The current line while it may still be a marker. */
  private pending = '';
  /** True once the current line is known to be content. */
  private lineIsText = false;
  private current: string | undefined;
  /** True once the current section has shown non-space text. */
  private started = false;
  /** Whitespace held back until more text shows it is inside the value. */
  private held = '';
  private readonly texts = new Map<string, string>();

  constructor(spec: SignatureSpec<object, object>) {
    this.wanted = new Set(spec.outputs.map((f) => f.name));
  }

  /** Feeds more completion text; returns the field deltas it makes certain. */
  push(chunk: string): FieldDelta[] {
    const out: FieldDelta[] = [];
    let rest = chunk;
    while (rest.length > 0) {
      const nl = rest.indexOf('\n');
      const piece = nl < 0 ? rest : rest.slice(0, nl);
      rest = nl < 0 ? '' : rest.slice(nl + 1);
      if (this.lineIsText) this.text(piece, out);
      else {
        this.pending += piece;
        this.decide(nl >= 0, out);
      }
      if (nl >= 0) {
        if (!this.lineIsText && this.pending) this.text(this.pending, out);
        this.text('\n', out);
        this.pending = '';
        this.lineIsText = false;
      }
    }
    return out;
  }

  /** Ends the stream: flushes a held-back line (whitespace at the end of a value is dropped). */
  end(): FieldDelta[] {
    const out: FieldDelta[] = [];
    if (!this.lineIsText && this.pending) this.text(this.pending, out);
    this.pending = '';
    this.held = '';
    this.current = undefined;
    return out;
  }

  /** The text of every field so far. */
  values(): Record<string, string> {
    return Object.fromEntries(this.texts);
  }

  /** Settles the pending line: a marker, content, or still undecided. */
  private decide(lineEnded: boolean, out: FieldDelta[]): void {
    const trimmed = this.pending.trimStart();
    if (trimmed === '') return;
    const m = MARKER_RE.exec(trimmed);
    if (m) {
      this.open(m[1] ?? '');
      this.lineIsText = true;
      this.pending = '';
      this.text(trimmed.slice(m[0].length), out);
      return;
    }
    if (!lineEnded && MARKER_PREFIX.test(trimmed)) return;
    this.lineIsText = true;
    const text = this.pending;
    this.pending = '';
    this.text(text, out);
  }

  private open(name: string): void {
    this.current = this.wanted.has(name) && !this.seen.has(name) ? name : undefined;
    if (this.current) this.seen.add(this.current);
    this.started = false;
    this.held = '';
  }

  /** Adds content text to the open section, trimming its start and holding trailing space. */
  private text(piece: string, out: FieldDelta[]): void {
    const field = this.current;
    if (!field || piece === '') return;
    let s = piece;
    if (!this.started) {
      const first = s.search(NON_SPACE);
      if (first < 0) return;
      s = s.slice(first);
      this.started = true;
    }
    let end = s.length;
    while (end > 0 && /\s/.test(s[end - 1] ?? '')) end--;
    if (end === 0) {
      this.held += s;
      return;
    }
    const delta = this.held + s.slice(0, end);
    this.held = s.slice(end);
    this.texts.set(field, (this.texts.get(field) ?? '') + delta);
    out.push({ field, delta });
  }
}

/** A {@link ChatStreamParser} for `spec`. */
export function createChatStreamParser(spec: SignatureSpec<object, object>): ChatStreamParser {
  return new ChatStreamParser(spec);
}
