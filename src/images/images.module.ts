// Builds the images module once per process for the composition root: signer (the ImageUrlIssuer the paid
// reads call), delivery, ingest, trace, and the batching trace recorder that App.close flushes.
import type { Config } from '../config.ts';
import type { Sql } from '../db/client.ts';
import type { SharedState } from '../shared-state/shared-state.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import type { Logger } from '../logger.ts';
import type { Route } from '../http/router.ts';
import { GrantRecorder } from './grant-recorder.ts';
import { SignedUrlIssuer } from './signed-url-issuer.ts';
import { RenditionService, type ClientMarker } from './rendition.service.ts';
import { ImageDeliveryService } from './image-delivery.service.ts';
import { ImageIngestService } from './image-ingest.service.ts';
import { ImageTraceService } from './image-trace.service.ts';
import { imageRoutes } from './image.routes.ts';
import { adminImageRoutes } from '../admin/image.routes.ts';
import { traceRoutes } from '../admin/trace.routes.ts';

export interface ImagesModule {
  issuer: SignedUrlIssuer;
  renditions: RenditionService;
  delivery: ImageDeliveryService;
  ingest: ImageIngestService;
  traces: ImageTraceService;
  recorder: GrantRecorder;
  /** Public image route plus the admin upload and trace routes. */
  routes: Route[];
  close(): Promise<void>;
}

export function createImagesModule(deps: {
  config: Pick<Config, 'IMAGE_URL_KEYS' | 'PUBLIC_BASE_URL' | 'IMAGE_CACHE_MB'>;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  marker?: ClientMarker;
}): ImagesModule {
  const { config, sql, state, blobs, log } = deps;
  const keys = config.IMAGE_URL_KEYS;
  const recorder = new GrantRecorder(sql, log.child({ component: 'image-trace' }));
  const issuer = new SignedUrlIssuer(keys, recorder, { publicBaseUrl: config.PUBLIC_BASE_URL });
  const renditions = new RenditionService(blobs, { cacheBytes: config.IMAGE_CACHE_MB * 1024 * 1024, marker: deps.marker });
  const delivery = new ImageDeliveryService({ sql, state, keys, renditions, recorder });
  const ingest = new ImageIngestService({ sql, blobs });
  const traces = new ImageTraceService({ sql, state, keys, recorder });
  return {
    issuer, renditions, delivery, ingest, traces, recorder,
    routes: [...imageRoutes(delivery), ...adminImageRoutes(ingest), ...traceRoutes(traces)],
    close: () => recorder.close(),
  };
}
