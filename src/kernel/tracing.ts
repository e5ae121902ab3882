// Spans for the work of a request (docs/operations.md#traces). Domains call withSpan(); it goes through the
// OpenTelemetry API only, so the SDK (src/platform/telemetry/) is someone else's choice. With tracing off no tracer
// provider is registered and every helper here returns after one check: no span objects, no attribute objects.
import {
  type Attributes,
  type Context,
  context,
  type Link,
  ProxyTracerProvider,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

export { type Context, type Span, SpanKind } from '@opentelemetry/api';

/** The instrumentation scope of our own spans. */
export const TRACER_NAME = 'kosher-catalog';
const tracer = trace.getTracer(TRACER_NAME);

let on = false;
/** The API's proxy provider seen by the last full check (its delegate is set when an SDK registers). */
let proxy: ProxyTracerProvider | null = null;
let sinceFullCheck = 0;

/**
 * Whether a tracer provider is registered (an SDK started). Checked on every call until it is: a provider is
 * registered once, before traffic, and never taken away while the process serves.
 */
export function tracingOn(): boolean {
  if (on) return true;
  // The cheap check on most calls: the global lookup behind getTracerProvider() (a version check per call) was
  // ~1.4 % of an image redemption's CPU with tracing off. Registering an SDK sets the proxy's delegate; the full
  // check every 1024 calls still sees a provider registered by another copy of the API package.
  if (proxy && ++sinceFullCheck < 1024) return (on = proxy.getDelegateTracer(TRACER_NAME) !== undefined);
  sinceFullCheck = 0;
  const p = trace.getTracerProvider();
  proxy = p instanceof ProxyTracerProvider ? p : null;
  on = !proxy || proxy.getDelegateTracer(TRACER_NAME) !== undefined;
  return on;
}

export interface SpanOptions {
  kind?: SpanKind;
  /** Built only when the span records: pass a function to keep the off path free of allocations. */
  attributes?: Attributes | (() => Attributes);
  /** The parent; default the active context. */
  parent?: Context;
  links?: Link[];
}

/**
 * Runs fn inside a span named `name` (active for everything fn awaits); the span ends when fn settles and
 * records its error. With tracing off, fn runs directly.
 */
export function withSpan<T>(name: string, opts: SpanOptions, fn: (span: Span | null) => Promise<T>): Promise<T> {
  if (!tracingOn()) return fn(null);
  const parent = opts.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, links: opts.links }, parent);
  if (opts.attributes && span.isRecording())
    span.setAttributes(typeof opts.attributes === 'function' ? opts.attributes() : opts.attributes);
  return context.with(trace.setSpan(parent, span), () =>
    fn(span).then(
      (v) => {
        span.end();
        return v;
      },
      (e) => {
        failSpan(span, e);
        span.end();
        throw e;
      },
    ),
  );
}

/** Starts a span without making it active (a server span the caller activates and ends itself). */
export function startSpan(name: string, kind: SpanKind, parent: Context): Span {
  return tracer.startSpan(name, { kind }, parent);
}

/** Marks a span failed with the error's name and message (never its stack in attributes). */
export function failSpan(span: Span, e: unknown): void {
  if (!span.isRecording()) return;
  span.recordException(e instanceof Error ? e : String(e));
  span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
}

/** The active context when tracing is on (to carry it across a queue, e.g. the debit batch); else undefined. */
export const activeContext = (): Context | undefined => (tracingOn() ? context.active() : undefined);

/** The trace id of the active span, for log lines; undefined when none (or tracing is off). */
export function activeTraceId(): string | undefined {
  if (!tracingOn()) return undefined;
  const sc = trace.getSpan(context.active())?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? sc.traceId : undefined;
}

/** A link to the span active in ctx (a batch serving several requests links every one but its parent). */
export function linkTo(ctx: Context): Link | null {
  const sc = trace.getSpan(ctx)?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? { context: sc } : null;
}

/** `{ trace_id, span_id }` of the active span for a log line (a fresh object: pino merges into it), or {}. */
export function activeSpanIds(): Record<string, string> {
  const sc = trace.getSpan(context.active())?.spanContext();
  return sc && trace.isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
}

/** Sets one attribute on the active span when it records (the request id on the server span). */
export function tagActiveSpan(key: string, value: string): void {
  if (!tracingOn()) return;
  const span = trace.getSpan(context.active());
  if (span?.isRecording()) span.setAttribute(key, value);
}

/** withSpan for synchronous work (planning): the span ends when fn returns or throws. */
export function withSpanSync<T>(name: string, fn: (span: Span | null) => T): T {
  if (!tracingOn()) return fn(null);
  const parent = context.active();
  const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, parent);
  try {
    return context.with(trace.setSpan(parent, span), fn, undefined, span);
  } catch (e) {
    failSpan(span, e);
    throw e;
  } finally {
    span.end();
  }
}

let shutdownHook: (() => Promise<void>) | null = null;

/** Set by whoever started an SDK (src/platform/telemetry/sdk.ts): how to flush and stop it. */
export function setTracingShutdown(fn: () => Promise<void>): void {
  shutdownHook = fn;
}

/** Exports the spans still buffered and stops the SDK; a no-op with tracing off. Never throws. */
export async function shutdownTracing(): Promise<void> {
  await shutdownHook?.().catch(() => undefined);
}
