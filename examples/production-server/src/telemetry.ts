/**
 * The OpenTelemetry SDK of the server: spans go to an OTLP/HTTP collector when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, else to the console. dspy-ts itself only uses
 * `@opentelemetry/api`; registering an SDK like this is what turns its spans on.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Registers the SDK; returns where spans go and a function that flushes and stops it. */
export async function startTelemetry(): Promise<{ target: string; shutdown(): Promise<void> }> {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  let processor: SpanProcessor;
  let target: string;
  if (endpoint) {
    // Loaded only when used; reads OTEL_EXPORTER_OTLP_ENDPOINT / _HEADERS itself.
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    processor = new BatchSpanProcessor(new OTLPTraceExporter());
    target = `OTLP ${endpoint}`;
  } else {
    processor = new SimpleSpanProcessor(new ConsoleSpanExporter());
    target = 'console';
  }
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME ?? 'dspy-ts-triage' }),
    spanProcessors: [processor],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return { target, shutdown: () => provider.shutdown() };
}
