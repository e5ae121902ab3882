// The postgres.js pool queue as patched at install (src/platform/db/patches, docs/durability.md#the-pool-queue-patch).
// Unpatched, a queue that never drains (the pool's busy/open lists under steady load) keeps every slot it
// ever shifted out, and each remove() scans them all: API CPU per request doubled within a minute of a soak.
// The queue's array is observed through the `initial` argument: Queue copies it with slice(), which keeps the
// subclass, so every indexOf() the queue makes reports how much of the array it searches.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The package's exports hide its internals; load the very file the API's `import 'postgres'` uses.
const entry = createRequire(import.meta.url)
  .resolve('postgres')
  .replace(/cjs[\\/]src[\\/]index\.js$/, 'src/index.js');
const { default: Queue } = (await import(pathToFileURL(path.join(path.dirname(entry), 'queue.js')).href)) as {
  default: <T>(initial?: T[]) => { length: number; push(x: T): T; shift(): T; remove(x: T): T | null };
};

let searched: number[] = [];
class Probe<T> extends Array<T> {
  override indexOf(x: T, from = 0): number {
    searched.push(this.length - from);
    return super.indexOf(x, from);
  }
}

describe('postgres.js pool queue (patched)', () => {
  it('keeps remove() and its memory bounded by the live entries when the queue never drains', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const q = Queue(Probe.from([a, b]) as unknown as (typeof a)[]);
    searched = [];
    // What the pool does to a busy connection per query: take one from the front, move it to the back.
    for (let i = 0; i < 20_000; i++) {
      const c = q.shift();
      q.remove(c); // move(): leave the queue it is in (already shifted out, so not found)
      q.push(c);
    }
    expect(q.length).toBe(2);
    expect(searched.length).toBe(20_000);
    // Unpatched: the last searches cover ~20,000 slots. Patched: at most the compaction threshold plus the live.
    expect(Math.max(...searched)).toBeLessThanOrEqual(64 * 2 + 2);
    // Entries still come out in order and remove() still removes a live one.
    expect(q.shift()).toBe(a);
    expect(q.remove(b)).toBe(b);
    expect(q.length).toBe(0);
  });

  it('finds and removes an entry that is still queued', () => {
    const xs = Array.from({ length: 200 }, (_, i) => ({ i }));
    const q = Queue<{ i: number }>();
    for (const x of xs) q.push(x);
    for (let i = 0; i < 150; i++) expect(q.shift()).toBe(xs[i]);
    expect(q.remove(xs[10])).toBeNull();
    expect(q.remove(xs[170])).toBe(xs[170]);
    expect(q.length).toBe(49);
    const rest: number[] = [];
    while (q.length) rest.push(q.shift().i);
    expect(rest).toEqual(
      xs
        .slice(150)
        .filter((x) => x.i !== 170)
        .map((x) => x.i),
    );
  });
});
