// The delivery pipeline's hook (RenditionService `marker`): which mark a viewer's rendition carries, and the
// pixel stage that applies it. By default the mark names the client only, so a marked rendition is cached
// once per (image, size, format, client) as the mark requires; `withGrant` adds the grant tag at the price of one
// rendition per signed URL (no cache reuse at all, since every URL is one-shot).
import type { RenderSpec } from '../media.ts';
import type { ClientMarker, RenditionViewer } from '../rendition.service.ts';
import { type MarkKey, markRaw } from './mark-embed.ts';
import { grantTagOf, type MarkPayload, markNumberOf } from './mark-payload.ts';
import { renderMarkedInPool } from './mark-pool.ts';

/** Client mark numbers remembered (each is a SHA-256 of the client id, asked for on every image redemption). */
const MAX_REMEMBERED = 10_000;

export function createClientMarker(
  key: MarkKey,
  opts: { withGrant?: boolean } = {},
): ClientMarker & {
  /** The same mark as an in-process pixel stage of media.ts `render` (no thread: for tools and tests). */
  pixels(v: RenditionViewer): NonNullable<RenderSpec['pixels']>;
} {
  const numbers = new Map<string, number>();
  const parts = new Map<string, string>();
  const kid = key.kid.toLowerCase();
  const markNumber = (clientId: string) => {
    let n = numbers.get(clientId);
    if (n === undefined) {
      if (numbers.size >= MAX_REMEMBERED) numbers.clear();
      n = markNumberOf(clientId);
      numbers.set(clientId, n);
    }
    return n;
  };
  const payloadOf = (v: RenditionViewer): MarkPayload => ({
    clientNumber: markNumber(v.clientId),
    grantId: opts.withGrant ? v.grantId : undefined,
  });
  return {
    keyPart(v) {
      // Asked on every redemption: without the grant tag the part depends on the client only, spelled once.
      if (!opts.withGrant) {
        let part = parts.get(v.clientId);
        if (part === undefined) {
          if (parts.size >= MAX_REMEMBERED) parts.clear();
          part = `mk-${kid}-${markNumber(v.clientId).toString(36)}`;
          parts.set(v.clientId, part);
        }
        return part;
      }
      const p = payloadOf(v);
      // Names the cached file: key id + what the mark says (never the secret).
      const grant = p.grantId === undefined ? '' : `g${grantTagOf(p.grantId).toString(36)}`;
      return `mk-${kid}-${p.clientNumber.toString(36)}${grant}`;
    },
    render(v, source, spec) {
      // Off the event loop, in the bounded worker pool (mark-pool.ts).
      return renderMarkedInPool(source, spec, payloadOf(v), { kid: key.kid, secret: key.secret });
    },
    pixels(v) {
      const p = payloadOf(v);
      return (raw) => markRaw(raw, p, key).data as Buffer;
    },
  };
}
