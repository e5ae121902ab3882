// The images module (docs/signed-urls.md): the signer of one-shot image URLs (the ImageUrlIssuer paid reads
// call), delivery (every rendition client-marked), ingest, trace, identification of leaked copies, and the
// batching trace recorder that close() flushes. Operators upload, trace and identify through /admin/v1.

import type { Logger } from '../../kernel/logger.ts';
import type { RandomPool } from '../../kernel/random-pool.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { Route } from '../../platform/http/router.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import type { Module } from '../../platform/module.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import { identifyRoutes } from './admin-identify.routes.ts';
import { adminImageRoutes } from './admin-images.routes.ts';
import { traceRoutes } from './admin-trace.routes.ts';
import { GrantRecorder } from './grant-recorder.ts';
import { imageRoutes } from './image.routes.ts';
import { ImageDeliveryService } from './image-delivery.service.ts';
import { ImageIdentifyService } from './image-identify.service.ts';
import { ImageIngestService } from './image-ingest.service.ts';
import { ImageTraceService } from './image-trace.service.ts';
import type { ImagesConfig } from './images.config.ts';
import { imagesMetrics } from './images.metrics.ts';
import { createClientMarker } from './mark/mark-client-marker.ts';
import { type ClientMarker, RenditionService } from './rendition.service.ts';
import { RenditionSpace } from './rendition-space.ts';
import { SignedUrlIssuer } from './signed-url-issuer.ts';

export { IMAGE_UPLOAD_LIMIT } from './image-ingest.service.ts';
export { type ImagesConfig, imagesConfig } from './images.config.ts';

export interface ImagesModule extends Module {
  issuer: SignedUrlIssuer;
  renditions: RenditionService;
  delivery: ImageDeliveryService;
  ingest: ImageIngestService;
  traces: ImageTraceService;
  recorder: GrantRecorder;
  /** Identification of leaked copies, and the bound on the marked renditions' blob space. */
  identify: ImageIdentifyService;
  renditionSpace: RenditionSpace;
  routes: Route[];
  adminRoutes: Route[];
  close(): Promise<void>;
}

export function createImagesModule(deps: {
  config: ImagesConfig;
  /** Base of signed URLs as clients see them (PUBLIC_BASE_URL); unset: the request's own host. */
  publicBaseUrl?: string;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  /** Nonces of signed URLs. */
  random: RandomPool;
  /** Default: the client mark under the first IMAGE_MARK_KEYS entry (every delivery is marked). */
  marker?: ClientMarker;
  /** Renders (count, time), redemptions and the rendition cache of this process. */
  metrics: Metrics;
}): ImagesModule {
  const { config, sql, state, blobs, log } = deps;
  const keys = config.urlKeys;
  const metrics = imagesMetrics(deps.metrics);
  const recorder = new GrantRecorder(sql, log.child({ component: 'image-trace' }));
  const issuer = new SignedUrlIssuer(keys, recorder, { publicBaseUrl: deps.publicBaseUrl, random: deps.random });
  const renditionSpace = new RenditionSpace({
    sql,
    blobs,
    limitBytes: config.markedCacheBytes,
    log: log.child({ component: 'rendition-space' }),
  });
  const renditions = new RenditionService(blobs, {
    cacheBytes: config.cacheBytes,
    marker: deps.marker ?? createClientMarker(config.markKeys[0]),
    onStored: (key, bytes) => renditionSpace.stored(key, bytes),
    onRendered: (format, seconds) => metrics.imageRenders.observe({ format }, seconds),
  });
  const delivery = new ImageDeliveryService({
    sql,
    state,
    keys,
    renditions,
    recorder,
    onRedemption: (result) => metrics.imageRedemptions.inc({ result }),
  });
  const identify = new ImageIdentifyService({
    sql,
    blobs,
    keys: config.markKeys,
    log: log.child({ component: 'identify' }),
    flushGrants: () => recorder.flush(),
  });
  const ingest = new ImageIngestService({ sql, blobs, hashes: identify });
  const traces = new ImageTraceService({ sql, state, keys, recorder });
  deps.metrics.cacheBytes('image_renditions', config.cacheBytes, () => renditions.cacheStats.bytes);
  return {
    name: 'images',
    issuer,
    renditions,
    delivery,
    ingest,
    traces,
    recorder,
    identify,
    renditionSpace,
    routes: imageRoutes(delivery),
    adminRoutes: [...adminImageRoutes(ingest), ...traceRoutes(traces), ...identifyRoutes(identify)],
    async close() {
      await identify.close();
      await renditionSpace.settle();
      await recorder.close();
    },
  };
}
export type { ImageGrant, ImageUrlIssuer } from './image-grant.ts';
export { imagesCli } from './images.cli.ts';
export { configureMedia } from './media.ts';
