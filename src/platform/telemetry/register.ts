// Preload of `npm start` (node --import tsx --import ./src/platform/telemetry/register.ts src/main/main.ts): starts the
// OpenTelemetry SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set (docs/operations.md#traces), and does nothing
// otherwise (no SDK is even loaded). It reads process.env itself, the one exception to "only src/main/config.ts":
// the SDK must be running, and the module hooks registered, before main.ts imports node:http and ioredis,
// which is before any Config exists. src/main/config.ts still declares and validates these variables.
import { register } from 'node:module';

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  // Under ESM an instrumentation sees a module only through this loader hook; only the modules we instrument
  // are wrapped (every other import loads as it would without tracing).
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, {
    data: { include: ['ioredis', 'node:http', 'node:https'] },
  });
  const { startTracing } = await import('./sdk.ts');
  startTracing({ serviceName: process.env.OTEL_SERVICE_NAME || 'kosher-catalog' });
}
