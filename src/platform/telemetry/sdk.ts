// The OpenTelemetry SDK of a server process (docs/operations.md#traces): traces only, exported over OTLP as
// the standard OTEL_* variables say (endpoint, protocol, headers, sampler, batch delays). Our spans come from
// src/kernel/tracing.ts; the instrumentations add ioredis commands and outgoing HTTP (webhook deliveries).
// Incoming HTTP is left to our own server span (src/platform/http/request-span.ts), which knows the route.

import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { setTracingShutdown } from '../../kernel/tracing.ts';

export function startTracing(opts: { serviceName: string }): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: opts.serviceName,
    // Traces only: metrics stay on /metrics (prom-client), logs on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // Redis commands of a traced request only, not the background polling of an idle node.
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  // main.ts flushes the last spans on shutdown, after the server has drained.
  setTracingShutdown(() => sdk.shutdown());
  return sdk;
}
