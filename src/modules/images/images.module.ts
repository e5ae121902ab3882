// Builds the images module once per process for the composition root: signer (the ImageUrlIssuer the paid
// reads call), delivery (every rendition client-marked), ingest, trace, identification, and the batching
// trace recorder that App.close flushes.
import type { Config } from '../../main/config.ts';
import type { Sql } from '../../platform/db/client.ts';
import type { SharedState } from '../../platform/shared-state/shared-state.ts';
import type { BlobStore } from '../../platform/blobs/blob-store.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { RandomPool } from '../../kernel/random-pool.ts';
import type { Route } from '../../platform/http/router.ts';
import type { Metrics } from '../../platform/metrics/metrics.ts';
import { GrantRecorder } from './grant-recorder.ts';
import { SignedUrlIssuer } from './signed-url-issuer.ts';
import { RenditionService, type ClientMarker } from './rendition.service.ts';
import { ImageDeliveryService } from './image-delivery.service.ts';
import { ImageIngestService } from './image-ingest.service.ts';
import { ImageTraceService } from './image-trace.service.ts';
import { imageRoutes } from './image.routes.ts';
import { createClientMarker } from './mark/mark-client-marker.ts';
import { RenditionSpace } from './rendition-space.ts';
import { ImageIdentifyService } from './image-identify.service.ts';

export interface ImagesModule {
  issuer: SignedUrlIssuer;
  renditions: RenditionService;
  delivery: ImageDeliveryService;
  ingest: ImageIngestService;
  traces: ImageTraceService;
  recorder: GrantRecorder;
  /** Identification of leaked copies, and the bound on the marked renditions' blob space. */
  identify: ImageIdentifyService;
  renditionSpace: RenditionSpace;
  /** The public image route; the admin side (upload, trace, identify) is routed by src/admin. */
  routes: Route[];
  close(): Promise<void>;
}

export function createImagesModule(deps: {
  config: Pick<Config, 'IMAGE_URL_KEYS' | 'PUBLIC_BASE_URL' | 'IMAGE_CACHE_MB' | 'IMAGE_MARK_KEYS' | 'MARKED_CACHE_MB'>;
  sql: Sql;
  state: SharedState;
  blobs: BlobStore;
  log: Logger;
  /** Nonces of signed URLs. */
  random: RandomPool;
  /** Default: the client mark under the first IMAGE_MARK_KEYS entry (every delivery is marked). */
  marker?: ClientMarker;
  /** Renders (count, time) and redemptions of this process. */
  metrics?: Pick<Metrics, 'imageRenders' | 'imageRedemptions'>;
}): ImagesModule {
  const { config, sql, state, blobs, log } = deps;
  const keys = config.IMAGE_URL_KEYS;
  const recorder = new GrantRecorder(sql, log.child({ component: 'image-trace' }));
  const issuer = new SignedUrlIssuer(keys, recorder, { publicBaseUrl: config.PUBLIC_BASE_URL, random: deps.random });
  const renditionSpace = new RenditionSpace({
    sql,
    blobs,
    limitBytes: Math.floor(config.MARKED_CACHE_MB * 1024 * 1024),
    log: log.child({ component: 'rendition-space' }),
  });
  const renditions = new RenditionService(blobs, {
    cacheBytes: config.IMAGE_CACHE_MB * 1024 * 1024,
    marker: deps.marker ?? createClientMarker(config.IMAGE_MARK_KEYS[0]),
    onStored: (key, bytes) => renditionSpace.stored(key, bytes),
    onRendered: (format, seconds) => deps.metrics?.imageRenders.observe({ format }, seconds),
  });
  const delivery = new ImageDeliveryService({
    sql,
    state,
    keys,
    renditions,
    recorder,
    onRedemption: (result) => deps.metrics?.imageRedemptions.inc({ result }),
  });
  const identify = new ImageIdentifyService({
    sql,
    blobs,
    keys: config.IMAGE_MARK_KEYS,
    log: log.child({ component: 'identify' }),
    flushGrants: () => recorder.flush(),
  });
  const ingest = new ImageIngestService({ sql, blobs, hashes: identify });
  const traces = new ImageTraceService({ sql, state, keys, recorder });
  return {
    issuer,
    renditions,
    delivery,
    ingest,
    traces,
    recorder,
    identify,
    renditionSpace,
    routes: imageRoutes(delivery),
    async close() {
      await identify.close();
      await renditionSpace.settle();
      await recorder.close();
    },
  };
}
