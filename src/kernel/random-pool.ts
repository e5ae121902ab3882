// Random bytes for ids and URL nonces, drawn from the CSPRNG in blocks. One randomBytes call per id or per
// signed URL was a visible share of CPU on the image path (a products(barcodes: 100) query signs 100 URLs).
// One pool per process: ids (request, grant, token ids) and nonces both take from it.
import { randomBytes } from 'node:crypto';

export class RandomPool {
  private block = Buffer.alloc(0);
  private offset = 0;

  constructor(private readonly blockSize = 8192) {}

  /** `n` fresh random bytes (a view into the pool: copy it if you keep it past the next call). */
  take(n: number): Buffer {
    if (this.offset + n > this.block.length) {
      this.block = randomBytes(Math.max(this.blockSize, n));
      this.offset = 0;
    }
    this.offset += n;
    return this.block.subarray(this.offset - n, this.offset);
  }
}

/** The process's pool. */
export const randomPool = new RandomPool();
