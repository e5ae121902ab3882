// Traces (docs/operations.md#traces). Acted on by register.ts, the `npm start` preload, which must start the SDK
// before anything else is imported and so reads these two variables itself; they are validated here with the rest.
import { z } from 'zod';
import { configSection } from '../config/section.ts';

export const telemetryConfig = configSection(
  {
    /** An OTLP collector's base URL, e.g. http://otel-collector:4318. Unset: tracing is off and costs nothing. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    /** `service.name` of the exported spans. */
    OTEL_SERVICE_NAME: z.string().min(1).default('kosher-catalog'),
  },
  (e) => ({ otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME }),
);
