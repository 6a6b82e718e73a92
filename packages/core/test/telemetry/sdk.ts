/**
 * An OpenTelemetry SDK registered for one test: spans and metrics go to in-memory exporters,
 * the active context follows `AsyncLocalStorage` (as in a Node app). `close()` unregisters it.
 */
import { context, metrics, trace } from '@opentelemetry/api';

export { SpanStatusCode } from '@opentelemetry/api';

import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** What a test reads back from the SDK. */
export interface Recorded {
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The one span named `name` (fails when there is none or more than one). */
  span(name: string): ReadableSpan;
  /** The spans whose parent is `parent`. */
  children(parent: ReadableSpan): ReadableSpan[];
  /** The metrics recorded so far (collected now). */
  metrics(): Promise<ResourceMetrics[]>;
  /** Unregisters the SDK. */
  close(): Promise<void>;
}

/** Registers a tracer provider, a meter provider and a context manager for the test. */
export function recordTelemetry(): Recorded {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  const all = () => spans.getFinishedSpans();
  return {
    spans: all,
    span(name) {
      const found = all().filter((s) => s.name === name);
      if (found.length !== 1)
        throw new Error(`expected one span '${name}', found ${found.length}: ${names(all())}`);
      return found[0] as ReadableSpan;
    },
    children(parent) {
      return all().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
    },
    async metrics() {
      await reader.forceFlush();
      return metricExporter.getMetrics();
    },
    async close() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      context.disable();
    },
  };
}

/** Span names, for failure messages. */
export function names(spans: readonly ReadableSpan[]): string {
  return spans.map((s) => s.name).join(', ');
}

/** Every attribute value and event of `spans` as one text (to look for what must not be there). */
export function everything(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  );
}
