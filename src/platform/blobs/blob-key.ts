// Blob keys and where they sit, shared by every store so a bucket prefix and a blobs directory hold the same
// layout (<aa>/<bb>/<key>): copying <DATA_DIR>/blobs into a bucket moves a node to S3 unchanged
// (docs/operations.md#blob-store).

const KEY_RE = /^[a-z0-9][a-z0-9._-]{2,200}$/;

/** The relative location of a key; throws on a key that could escape its directory or prefix. */
export function blobPath(key: string): string {
  if (!KEY_RE.test(key)) throw new Error('invalid blob key');
  return `${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
}
