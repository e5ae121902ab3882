// The SERVER span of one HTTP request (docs/operations.md#traces). Our own span rather than the http
// instrumentation's: it works the same in every process (no module hooks), and it knows the route template.
// An inbound W3C `traceparent` (and `tracestate`) makes it a child of the caller's span: the trace continues.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { SpanKind, startSpan } from '../../kernel/tracing.ts';

/** Runs serve() with a server span active; the span ends when the response closes, named `METHOD /route`. */
export function inServerSpan(
  req: IncomingMessage,
  res: ServerResponse,
  route: () => string,
  serve: () => Promise<void>,
): Promise<void> {
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const method = (req.method ?? 'GET').toUpperCase();
  const span = startSpan(method, SpanKind.SERVER, parent);
  res.once('close', () => {
    if (span.isRecording()) {
      const r = route();
      span.updateName(`${method} ${r}`);
      span.setAttributes({
        'http.request.method': method,
        'http.route': r,
        'http.response.status_code': res.statusCode,
        'url.scheme': 'encrypted' in req.socket ? 'https' : 'http',
      });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute('http.aborted', true);
    }
    span.end();
  });
  return context.with(trace.setSpan(parent, span), serve);
}
