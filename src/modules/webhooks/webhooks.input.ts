// What clients send to /api/v1/webhooks (and the GraphQL mutations), validated strictly: unknown fields are
// errors and every problem is a 400 bad_request naming the field (docs/webhooks.md#subscriptions).
import { z } from 'zod';
import { AppError } from '../../kernel/errors.ts';
import { type ListingFilter, validateFilter } from '../listing/index.ts';

const WEBHOOK_EVENTS = [
  'product.created',
  'product.updated',
  'product.image_added',
  'product.image_replaced',
  'product.image_removed',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

const name = z.string().trim().min(1).max(200);
/** The listing filters that make sense for a change feed (docs/rest.md#listing-filters; no updated_since). */
const filterInput = z.strictObject({
  brand: name.optional(),
  ownership: name.optional(),
  hechsher: z.string().trim().min(1).max(40).optional(),
  search: name.optional(),
  min_digits: z.number().int().min(8).max(14).optional(),
  has_front: z.boolean().optional(),
  kosher_for_passover: z.boolean().optional(),
});
export type WebhookFilter = z.infer<typeof filterInput>;

const events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length)
  .refine((l) => new Set(l).size === l.length, { message: 'lists an event twice' });

export const createWebhookInput = z.strictObject({
  url: z.string().max(4096),
  events,
  filter: filterInput.nullable().optional(),
});

export const updateWebhookInput = z.strictObject({
  url: z.string().max(4096).optional(),
  events: events.optional(),
  filter: filterInput.nullable().optional(),
  enabled: z.boolean().optional(),
});

export const replayInput = z.strictObject({
  since: z.string().max(64),
  until: z.string().max(64).optional(),
});

/** The same text checks as the listing's (one source of truth), mapped back to the stored snake_case form. */
export function normaliseFilter(f: WebhookFilter | null | undefined): WebhookFilter {
  if (!f) return {};
  const listing: ListingFilter = {
    brand: f.brand,
    ownership: f.ownership,
    hechsher: f.hechsher,
    search: f.search,
    minDigits: f.min_digits,
    hasFront: f.has_front,
    kosherForPassover: f.kosher_for_passover,
  };
  for (const k of Object.keys(listing) as (keyof ListingFilter)[]) if (listing[k] === undefined) delete listing[k];
  let v: ListingFilter;
  try {
    v = validateFilter(listing);
  } catch (e) {
    if (e instanceof AppError) throw new AppError('bad_request', `filter: ${e.message}`);
    throw e;
  }
  const out: WebhookFilter = {};
  if (v.brand !== undefined) out.brand = v.brand;
  if (v.ownership !== undefined) out.ownership = v.ownership;
  if (v.hechsher !== undefined) out.hechsher = v.hechsher;
  if (v.search !== undefined) out.search = v.search;
  if (v.minDigits !== undefined) out.min_digits = v.minDigits;
  if (v.hasFront !== undefined) out.has_front = v.hasFront;
  if (v.kosherForPassover !== undefined) out.kosher_for_passover = v.kosherForPassover;
  return out;
}
