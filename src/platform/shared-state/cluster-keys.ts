// Key layout on a Redis Cluster (docs/durability.md#on-redis-cluster). A script may touch keys of one hash slot
// only, and the fenced scripts touch a generation sentinel besides their keys, so every key is stored under one
// of FENCE_BUCKETS hash tags, each with its own sentinel in the same slot: `<prefix>{<bucket>}<key>` and
// `<prefix>{<bucket>}gen`. The bucket is a hash of the key's group: the text inside the key's own `{…}`
// (e.g. `rl:c:{cl_1}:m60:…`, so keys that must meet in one script share a bucket) or, without one, the key.
// 256 buckets spread one-shot claims over every master (one tag for all of them would make one hot slot), and
// stay few enough to sweep all their sentinels in one pass when a master is found to have lost its data.

/** Fixed for a deployment: changing it moves every key (as if the store lost its data). */
const FENCE_BUCKETS = 256;

/** The group of a key the way Redis reads a hash tag: the first `{`, the first `}` after it, non-empty. */
function groupOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Two hex digits; FNV-1a over the group's UTF-16 code units (same answer on every node, no allocation). */
export function bucketOf(key: string): string {
  const g = groupOf(key);
  let h = 0x811c9dc5;
  for (let i = 0; i < g.length; i++) {
    h ^= g.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 0) % FENCE_BUCKETS).toString(16).padStart(2, '0');
}

export function allBuckets(): string[] {
  return Array.from({ length: FENCE_BUCKETS }, (_, i) => i.toString(16).padStart(2, '0'));
}

/** A `{` or `}` in the prefix would become the hash tag of every key and put them all in one slot. */
export function assertClusterPrefix(prefix: string): void {
  if (/[{}]/.test(prefix))
    throw new Error(`the shared-state key prefix "${prefix}" must not contain { or } on a Redis Cluster`);
}
