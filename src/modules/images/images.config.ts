// Signed image URLs, renditions and the client mark (docs/signed-urls.md).
import { z } from 'zod';
import { configSection, keyRing, requiredSecret, type SectionValue } from '../../platform/config/section.ts';

export const imagesConfig = configSection(
  {
    /** Seals image tokens (`kid:secret,…`; the first seals). */
    IMAGE_URL_KEYS: keyRing('IMAGE_URL_KEYS').optional(),
    /** Keys the invisible client mark (the first marks; every entry is tried when identifying). */
    IMAGE_MARK_KEYS: keyRing('IMAGE_MARK_KEYS').optional(),
    /** Per-node in-memory cache of hot image renditions (delivery sends cached Buffers), in MiB. */
    IMAGE_CACHE_MB: z.coerce.number().int().min(0).max(65536).default(128),
    /** Blob-store space of client-marked renditions (one per image, size, format, client), in MiB; oldest deleted beyond it. */
    MARKED_CACHE_MB: z.coerce.number().min(0).max(16_777_216).default(2048),
  },
  (e, common, problems) => ({
    urlKeys: requiredSecret('IMAGE_URL_KEYS', e.IMAGE_URL_KEYS, common, problems),
    markKeys: requiredSecret('IMAGE_MARK_KEYS', e.IMAGE_MARK_KEYS, common, problems),
    cacheBytes: e.IMAGE_CACHE_MB * 1024 * 1024,
    markedCacheBytes: Math.floor(e.MARKED_CACHE_MB * 1024 * 1024),
  }),
);
export type ImagesConfig = SectionValue<typeof imagesConfig>;
