import type { Attributes, Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { isDspyError } from '../errors.js';
import { currentSettings } from '../settings.js';
import { redactDeep, redactText } from '../utils/redact.js';
import { otelPending } from './otel.js';
import { activeTracer } from './provider.js';

/** `SpanKind.INTERNAL` and `CLIENT`, `SpanStatusCode.ERROR` (the API's enums, read without loading it). */
export const SPAN_KIND_INTERNAL = 0 as SpanKind.INTERNAL;
export const SPAN_KIND_CLIENT = 2 as SpanKind.CLIENT;
const STATUS_ERROR = 2 as SpanStatusCode.ERROR;

/** What a span starts with: its name, kind (default internal) and first attributes. */
export interface SpanStart {
  readonly name: string;
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
}

/**
 * Runs `fn` in a span made from `start()`, made the active span (so spans started inside it
 * are its children), and ended when `fn` settles. `onValue` adds attributes from the result;
 * a failure sets the span's status to ERROR and records the exception, credentials masked.
 * With no tracer provider registered, `fn` is called as it is and `start` never runs.
 */
export function traced<T>(
  start: () => SpanStart,
  fn: () => Promise<T>,
  onValue?: (span: Span, value: T) => void,
): Promise<T> {
  const pending = otelPending();
  if (pending) return pending.then(() => traced(start, fn, onValue));
  const tracer = activeTracer();
  if (!tracer) return fn();
  const { name, kind = SPAN_KIND_INTERNAL, attributes } = start();
  return tracer.startActiveSpan(name, { kind, ...(attributes ? { attributes } : {}) }, async (span) => {
    try {
      const value = await fn();
      if (onValue && span.isRecording()) onValue(span, value);
      return value;
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The `error.type` of a failure: a `DspyError`'s code, else the error's class name. */
function errorType(err: unknown): string {
  if (isDspyError(err)) return err.code;
  return err instanceof Error ? err.name : typeof err;
}

/** Marks `span` failed by `err`: status ERROR, `error.type`, and the exception with credentials masked. */
export function recordFailure(span: Span, err: unknown): void {
  const clean = redactDeep(err);
  const message = clean instanceof Error ? clean.message : redactText(String(clean));
  span.recordException(clean instanceof Error ? clean : message);
  span.setAttribute('error.type', errorType(err));
  span.setStatus({ code: STATUS_ERROR, message });
}

/** True when the settings in force opt in to prompts, completions and values on spans. */
export function recordsContent(): boolean {
  return currentSettings().telemetry?.recordContent === true;
}

/** `value` as JSON text for a content attribute, credentials masked (its `String` when not JSON). */
export function contentText(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return redactText(text);
}
