// Traces (docs/operations.md#traces), in process: with no tracer provider registered a billed read logs the
// inbound trace id as before and nothing else; with one registered (the SDK's in-memory exporter) one billed
// GraphQL read is one trace holding the HTTP server span, GraphQL parse/validate/execute, the plan, the paid
// read, the debit batch and its SQL; an inbound traceparent continues the caller's trace; log lines carry it.
import { Writable } from 'node:stream';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/kernel/logger.ts';
import { tracingOn } from '../../../src/kernel/tracing.ts';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';
import { call } from '../../helpers/http.ts';
import { type SignedInClient, seed } from '../../helpers/testkit.ts';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;
const QUERY = 'query Card($b: Barcode!) { product(barcode: $b) { productMeta { brand } } }';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
    done();
  },
});

let db: TestDatabase;
let gtin: string;
beforeAll(async () => {
  db = await createTestDatabase();
  gtin = (await seed({ sql: db.sql }).product({ meta: 'full', imageRows: ['front'] })).barcode;
});
afterAll(async () => {
  await db?.drop();
});

/** A billed GraphQL read (productMeta: one products.get). */
async function billedRead(app: TestApp, client: SignedInClient, headers: Record<string, string> = {}) {
  const res = await call(app.url, '/graphql', {
    body: { query: QUERY, variables: { b: gtin } },
    token: client.accessToken,
    headers,
  });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.extensions.billing.creditsDebited).toBeGreaterThan(0);
  return res;
}

/** The access log line of a request, by its X-Request-ID (written on 'finish': wait for it, bounded). */
async function requestLine(requestId: string) {
  for (let i = 0; i < 100; i++) {
    const line = lines.find((l) => l.msg === 'request' && l.request_id === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request log line for ${requestId}`);
}

describe('tracing off (no SDK registered)', () => {
  it('serves and bills as before; only the inbound trace id is logged, on the request line', async () => {
    const app = await startTestApp({ db, log: createLogger('info', { destination: sink }) });
    try {
      expect(tracingOn()).toBe(false);
      const client = await seed(app).client({ credits: 100, tier: 'enterprise' });
      const res = await billedRead(app, client, { traceparent: TRACEPARENT });
      expect(res.headers.get('traceparent')).toBe(TRACEPARENT);
      expect(await requestLine(res.headers.get('x-request-id')!)).toMatchObject({ trace_id: TRACE_ID });
      const plain = await billedRead(app, client);
      expect(await requestLine(plain.headers.get('x-request-id')!)).not.toHaveProperty('trace_id');
      expect(lines.filter((l) => 'span_id' in l)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('tracing on (in-memory exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let app: TestApp;
  let client: SignedInClient;

  beforeAll(async () => {
    provider.register(); // the global tracer provider, the AsyncLocalStorage context manager, W3C propagation
    lines.length = 0;
    app = await startTestApp({ db, log: createLogger('info', { destination: sink }) });
    client = await seed(app).client({ credits: 100, tier: 'enterprise' });
  });
  afterAll(async () => {
    await app?.close();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  /** The spans of one request, once its server span has ended (it ends when the response closes). */
  async function spansOf(requestId: string): Promise<ReadableSpan[]> {
    for (let i = 0; i < 100; i++) {
      const server = exporter.getFinishedSpans().find((s) => s.attributes.request_id === requestId);
      if (server)
        return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === server.spanContext().traceId);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no server span for ${requestId}`);
  }

  /** Whether `span` descends from `ancestor` through parents within `spans`. */
  function descends(span: ReadableSpan, ancestor: ReadableSpan, spans: ReadableSpan[]): boolean {
    let parentId = span.parentSpanContext?.spanId;
    for (let hops = 0; parentId && hops < 20; hops++) {
      if (parentId === ancestor.spanContext().spanId) return true;
      parentId = spans.find((s) => s.spanContext().spanId === parentId)?.parentSpanContext?.spanId;
    }
    return false;
  }

  it("one billed read with an inbound traceparent: every span in the caller's trace, under the server span", async () => {
    expect(tracingOn()).toBe(true);
    exporter.reset();
    const res = await billedRead(app, client, { traceparent: TRACEPARENT });
    const requestId = res.headers.get('x-request-id')!;
    const spans = await spansOf(requestId);
    const byName = (name: string) => {
      const s = spans.find((x) => x.name === name);
      expect(s, `span ${name} among ${spans.map((x) => x.name).join(', ')}`).toBeDefined();
      return s!;
    };
    console.log(spans.map((s) => `${s.name} ${s.spanContext().spanId} <- ${s.parentSpanContext?.spanId}`).join('\n'));
    const server = byName('POST /graphql');
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(server.attributes).toMatchObject({ 'http.route': '/graphql', 'http.response.status_code': 200 });
    const wanted = [
      'graphql.parse',
      'graphql.validate',
      'graphql.execute query.Card',
      'graphql.plan',
      'paid_read',
      'sql productsByGtin',
      'debit.batch',
      'sql debitBatch',
    ];
    for (const name of wanted) {
      const s = byName(name);
      expect(s.spanContext().traceId, name).toBe(TRACE_ID);
      expect(descends(s, server, spans), `${name} under the server span`).toBe(true);
    }
    expect(descends(byName('debit.batch'), byName('paid_read'), spans)).toBe(true);
    expect(byName('sql debitBatch').parentSpanContext?.spanId).toBe(byName('debit.batch').spanContext().spanId);
    expect(byName('sql productsByGtin').attributes).toMatchObject({ 'db.system.name': 'postgresql' });
    expect(byName('paid_read').attributes).toMatchObject({ 'paid_read.products': 1, 'paid_read.cost_units': 5000 });
    // The request's log entry (the one with its X-Request-ID) names the trace.
    expect(await requestLine(requestId)).toMatchObject({ trace_id: TRACE_ID });
  });

  it('without traceparent a new trace starts; log lines written inside a request carry its ids', async () => {
    exporter.reset();
    const res = await billedRead(app, client);
    const requestId = res.headers.get('x-request-id')!;
    const spans = await spansOf(requestId);
    const server = spans.find((s) => s.name === 'POST /graphql')!;
    expect(server.parentSpanContext).toBeUndefined();
    const traceId = server.spanContext().traceId;
    expect(traceId).not.toBe(TRACE_ID);
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['paid_read', 'debit.batch', 'sql debitBatch']));
    expect(await requestLine(requestId)).toMatchObject({ trace_id: traceId });
    // A line logged inside the request (an unknown route logs nothing; a refused token does not either): the
    // request child logger is the same logger, so prove it with one line written through the app's logger.
    context.with(trace.setSpan(context.active(), trace.wrapSpanContext(server.spanContext())), () =>
      app.service.infra.log.info('inside'),
    );
    expect(lines.at(-1)).toMatchObject({ msg: 'inside', trace_id: traceId, span_id: server.spanContext().spanId });
  });
});
