// GraphQL spans (docs/operations.md#traces): parse and validate (ours, below) and execute
// (@envelop/opentelemetry, one span per operation named by it; no per-resolver spans, and no document,
// variables or result in attributes: a document may be 1 MiB, and span attributes have no size limit). Built only when tracing is on: with it off the plugin list is what it was.
import { useOpenTelemetry } from '@envelop/opentelemetry';
import { trace } from '@opentelemetry/api';
import type { Plugin } from 'graphql-yoga';
import { activeContext, failSpan, SpanKind, startSpan, TRACER_NAME, tracingOn } from '../../kernel/tracing.ts';

export function tracingPlugins(): Plugin[] {
  if (!tracingOn()) return [];
  const execute = useOpenTelemetry(
    { resolvers: false, variables: false, result: false, document: false },
    trace.getTracerProvider(),
    SpanKind.INTERNAL,
    {},
    TRACER_NAME,
    'graphql.execute ',
  ) as Plugin;
  return [execute, parseAndValidateSpans()];
}

/** A span around each parse and each validate (a parse served from yoga's document cache is short). */
function parseAndValidateSpans(): Plugin {
  const around = (name: string) => {
    const span = startSpan(name, SpanKind.INTERNAL, activeContext()!);
    return ({ result }: { result: unknown }) => {
      if (result instanceof Error) failSpan(span, result);
      else if (Array.isArray(result) && result.length) failSpan(span, new Error(`${result.length} validation errors`));
      span.end();
    };
  };
  return {
    onParse: () => around('graphql.parse'),
    onValidate: () => around('graphql.validate'),
  };
}
