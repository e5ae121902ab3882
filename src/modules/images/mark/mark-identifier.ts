// Identification of a leaked image: which catalog image it is (perceptual-hash candidates, confirmed by
// registration), then whose mark it carries (non-blind detection against that original), then who that is
// (client directory, grant log). The admin route and CLI call `identify`; the catalog keeps the index fresh
// through `indexOriginal` when a master is stored (persist its hashes) and `indexHashes` at start-up.

import { AppError } from '../../../kernel/errors.ts';
import type { Logger } from '../../../kernel/logger.ts';
import { detectMark, type MarkReading, MIN_REGISTRATION_NCC, type Overlay } from './mark-detect.ts';
import type { MarkKey } from './mark-embed.ts';
import { grantTagOf, markNumberOf } from './mark-payload.ts';
import { decodeRaw, decodeRawFitted, fitLong, flatten, hasAlpha, type RawImage, resizeRaw } from './mark-raster.ts';
import { detailSimilarity, register } from './mark-register.ts';
import { HASH_INPUT_LONG, type ImageHashes, PerceptualIndex, perceptualHashes } from './perceptual-hash.ts';

export interface OriginalRef {
  barcode: string;
  variant: string;
}
interface IndexedView extends OriginalRef {
  bg: number;
}
export type IndexedHashes = ImageHashes & { onBlack?: ImageHashes };

export interface MarkIdentifierDeps {
  /** The key ring (config.IMAGE_MARK_KEYS): every key is tried, so rotated-out keys still identify. */
  keys: MarkKey[];
  /** Loads a catalog master's bytes. */
  loadOriginal(ref: OriginalRef): Promise<Buffer | null>;
  /** Every client id (for mapping a mark number back to clients). Called again when a number is unknown. */
  listClientIds(): Promise<string[]>;
  /**
   * Optional: grants issued to this client for this image, newest first. With a grant-tagged mark the one whose
   * tag matches is named; otherwise a grant is named only when there is exactly one.
   */
  grantsFor?(clientId: string, ref: OriginalRef): Promise<string[]>;
  /** Visible overlays deliveries may carry under the mark (the Free tier's watermark: watermarkSvg). */
  overlays?: Overlay[];
  log: Logger;
}

export interface Identification {
  barcode: string | null;
  variant: string | null;
  /** Agreement of fine detail (high-passed luma NCC) between the copy and the matched original, 0…1. */
  image_similarity: number | null;
  client_id: string | null;
  grant_id: string | null;
  /** Probability the decoded payload is right (0…1); null when no mark. */
  confidence: number | null;
  mark: (MarkReading & { candidates: string[] }) | null;
}

const CANDIDATES = 6;
const WIDE_CANDIDATES = 40;
/** Detail agreement (high-passed luma NCC) from which a candidate counts as the same picture. */
const MIN_DETAIL_NCC = 0.5;
/** Candidates this close to the best detail agreement are all read for the mark. */
const TIE_MARGIN = 0.03;

export class MarkIdentifier {
  /** Cut-outs are indexed twice: on white (as shown) and on black (what is left when a converter drops alpha). */
  readonly index = new PerceptualIndex<IndexedView>((r) => `${r.barcode}/${r.variant}/${r.bg}`);
  private clientsByNumber: Map<number, string[]> | null = null;

  constructor(private readonly deps: MarkIdentifierDeps) {}

  /** Adds (or refreshes) a master in the lookup index; returns its hashes for persisting next to the image. */
  async indexOriginal(ref: OriginalRef, bytes: Buffer): Promise<IndexedHashes> {
    const img = await decodeRawFitted(bytes, HASH_INPUT_LONG);
    const h: IndexedHashes = await perceptualHashes(img, 255);
    if (hasAlpha(img.channels)) h.onBlack = await perceptualHashes(img, 0);
    this.indexHashes(ref, h);
    return h;
  }

  /** Restores index entries from persisted hashes (cheap start-up). */
  indexHashes(ref: OriginalRef, h: IndexedHashes): void {
    this.index.set({ barcode: ref.barcode, variant: ref.variant, bg: 255 }, h);
    if (h.onBlack) this.index.set({ barcode: ref.barcode, variant: ref.variant, bg: 0 }, h.onBlack);
  }

  private async clientsFor(n: number): Promise<string[]> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.clientsByNumber || attempt === 1) {
        const m = new Map<number, string[]>();
        for (const id of await this.deps.listClientIds()) {
          const k = markNumberOf(id);
          const list = m.get(k);
          if (list) list.push(id);
          else m.set(k, [id]);
        }
        this.clientsByNumber = m;
      }
      const hit = this.clientsByNumber.get(n);
      if (hit) return hit;
    }
    return [];
  }

  /**
   * Which catalog images a decoded copy may show: hash candidates confirmed by registration, best first by
   * agreement of fine detail. Empty when none is the same picture.
   */
  async findOriginals(leaked: RawImage): Promise<{ ref: OriginalRef; original: RawImage; ncc: number }[]> {
    const hashes = await perceptualHashes(leaked);
    const first = await this.confirm(
      leaked,
      this.index.nearest(hashes, CANDIDATES).map((c) => c.ref),
    );
    if (first.length > 0) return first;
    // Nothing among the nearest few (a watermarked and cropped copy moves many hash bits): look further.
    return this.confirm(
      leaked,
      this.index
        .nearest(hashes, WIDE_CANDIDATES)
        .slice(CANDIDATES)
        .map((c) => c.ref),
    );
  }

  private async confirm(
    leaked: RawImage,
    near: IndexedView[],
  ): Promise<{ ref: OriginalRef; original: RawImage; ncc: number }[]> {
    const kFlat = flatten(leaked, 255);
    const s = fitLong(kFlat.width, kFlat.height, 128);
    const k = await resizeRaw(kFlat, s.width, s.height);
    const best = new Map<string, { ref: OriginalRef; original: RawImage; ncc: number }>();
    const decoded = new Map<string, RawImage | null>();
    for (const view of near) {
      const id = `${view.barcode}/${view.variant}`;
      if (!decoded.has(id)) {
        const bytes = await this.deps.loadOriginal(view);
        decoded.set(id, bytes ? await decodeRaw(bytes) : null);
      }
      const original = decoded.get(id);
      if (!original) continue;
      // A quick registration at 128 px is enough to tell the right image from look-alikes.
      const flat = flatten(original, view.bg);
      const reg = await register(k, flat, 128);
      if (reg.ncc < MIN_REGISTRATION_NCC) continue;
      // Confirmed by the printed detail, which look-alike packages do not share.
      const detail = await detailSimilarity(kFlat, flat, reg);
      if (detail < MIN_DETAIL_NCC || (best.get(id)?.ncc ?? -1) >= detail) continue;
      best.set(id, { ref: { barcode: view.barcode, variant: view.variant }, original, ncc: detail });
    }
    return [...best.values()].sort((a, b) => b.ncc - a.ncc);
  }

  async identify(bytes: Buffer, hint?: OriginalRef): Promise<Identification> {
    let leaked: RawImage;
    try {
      leaked = await decodeRaw(bytes);
    } catch {
      throw new AppError('bad_request', 'The body is not a decodable image.');
    }
    const none: Identification = {
      barcode: null,
      variant: null,
      image_similarity: null,
      client_id: null,
      grant_id: null,
      confidence: null,
      mark: null,
    };
    let found: { ref: OriginalRef; original: RawImage; ncc: number | null }[];
    if (hint) {
      const b = await this.deps.loadOriginal(hint);
      if (!b) throw new AppError('not_found', 'No such catalog image.');
      found = [{ ref: hint, original: await decodeRaw(b), ncc: null }];
    } else {
      // Near-ties (a packshot and its own cut-out are the same photograph) are settled by which original
      // explains the whole copy best: the smallest residual after registration and tone fit.
      const all = await this.findOriginals(leaked);
      found = all.filter((c) => c.ncc >= all[0].ncc - TIE_MARGIN);
    }
    if (found.length === 0) return none;
    let pick = found[0];
    let det = await detectMark(leaked, pick.original, this.deps.keys, this.deps.overlays);
    for (const other of found.slice(1)) {
      const d = await detectMark(leaked, other.original, this.deps.keys, this.deps.overlays);
      if (d.residual < det.residual) {
        det = d;
        pick = other;
      }
    }
    const out: Identification = {
      ...none,
      barcode: pick.ref.barcode,
      variant: pick.ref.variant,
      image_similarity: pick.ncc,
    };
    if (!det.mark) {
      this.deps.log.info({ ref: pick.ref, score: det.bestScore }, 'identify: no mark');
      return out;
    }
    const candidates = await this.clientsFor(det.mark.clientNumber);
    out.mark = { ...det.mark, candidates };
    out.confidence = det.mark.confidence;
    let clientId = candidates.length === 1 ? candidates[0] : null;
    if (candidates.length > 1 && this.deps.grantsFor) {
      // Two clients share the number: the one that was actually issued this image decides.
      const issued = [];
      for (const c of candidates) if ((await this.deps.grantsFor(c, pick.ref)).length > 0) issued.push(c);
      if (issued.length === 1) clientId = issued[0];
    }
    out.client_id = clientId;
    if (clientId && this.deps.grantsFor) {
      const grants = await this.deps.grantsFor(clientId, pick.ref);
      const tagged = det.mark.grantTag === null ? grants : grants.filter((g) => grantTagOf(g) === det.mark!.grantTag);
      if (tagged.length === 1) out.grant_id = tagged[0];
    }
    this.deps.log.info(
      { ref: pick.ref, clientNumber: det.mark.clientNumber, clientId, score: det.mark.score },
      'identify: mark found',
    );
    return out;
  }
}
