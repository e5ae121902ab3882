// What image delivery counts (docs/operations.md#metrics): renders and their time, redemptions by result.
import type { Metrics } from '../../platform/metrics/metrics.ts';

export function imagesMetrics(m: Metrics) {
  return {
    imageRenders: m.histogram({
      name: 'kc_image_render_seconds',
      help: 'Image renditions rendered by this process (cache misses), and how long each took, by output format.',
      labelNames: ['format'],
    }),
    imageRedemptions: m.counter({
      name: 'kc_image_redemptions_total',
      help: 'Signed image URL downloads (GET), by result: ok, or the error code (signed_url_used, ...).',
      labelNames: ['result'],
    }),
  };
}
