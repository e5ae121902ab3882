// The delivery pipeline's hook (RenditionService `marker`): which mark a viewer's rendition carries, and the
// pixel stage that applies it. By default the mark names the client only, so a marked rendition is cached
// once per (image, size, format, client) as the mark requires; `withGrant` adds the grant tag at the price of one
// rendition per signed URL (no cache reuse at all, since every URL is one-shot).
import type { ClientMarker, RenditionViewer } from '../rendition.service.ts';
import { markRaw, type MarkKey } from './mark-embed.ts';
import { grantTagOf, markNumberOf, type MarkPayload } from './mark-payload.ts';

export function createClientMarker(key: MarkKey, opts: { withGrant?: boolean } = {}): ClientMarker {
  const payloadOf = (v: RenditionViewer): MarkPayload => ({
    clientNumber: markNumberOf(v.clientId),
    grantId: opts.withGrant ? v.grantId : undefined,
  });
  return {
    keyPart(v) {
      const p = payloadOf(v);
      // Names the cached file: key id + what the mark says (never the secret).
      const grant = p.grantId === undefined ? '' : `g${grantTagOf(p.grantId).toString(36)}`;
      return `mk-${key.kid.toLowerCase()}-${p.clientNumber.toString(36)}${grant}`;
    },
    pixels(v) {
      const p = payloadOf(v);
      return (raw) => {
        const out = markRaw(raw, p, key).data;
        return Buffer.isBuffer(out) ? out : Buffer.from(out);
      };
    },
  };
}
