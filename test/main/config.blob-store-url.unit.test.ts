// BLOB_STORE_URL is checked at start-up with a message that says what is wrong (docs/operations.md#blob-store).
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/main/config.ts';
import { describeBlobStore } from '../../src/platform/blobs/open-blob-store.ts';
import { testSecrets } from '../helpers/secrets.ts';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/srv/kc', ...testSecrets(), ...env });
const problems = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.join('\n');
  }
  throw new Error('accepted');
};

describe('BLOB_STORE_URL', () => {
  it('defaults to files under DATA_DIR/blobs', () => {
    expect(load({}).blobs.location).toEqual({ kind: 'fs', root: '/srv/kc/blobs' });
  });

  it('takes file:///dir for another directory', () => {
    expect(load({ BLOB_STORE_URL: 'file:///mnt/images' }).blobs.location).toEqual({ kind: 'fs', root: '/mnt/images' });
  });

  it('parses an S3-compatible URL: bucket, prefix, endpoint, region, path-style', () => {
    const c = load({
      BLOB_STORE_URL: 's3://kc-images/prod/blobs/?endpoint=http://127.0.0.1:9000&region=eu-central-1',
      S3_ACCESS_KEY_ID: 'AKIA',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
    expect(c.blobs.location).toEqual({
      kind: 's3',
      bucket: 'kc-images',
      prefix: 'prod/blobs',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-central-1',
      forcePathStyle: true,
    });
    expect(describeBlobStore(c.blobs.location)).toBe('s3://kc-images/prod/blobs at http://127.0.0.1:9000');
  });

  it('AWS itself: no endpoint, virtual-hosted style, us-east-1 unless told', () => {
    expect(load({ BLOB_STORE_URL: 's3://kc-images' }).blobs.location).toEqual({
      kind: 's3',
      bucket: 'kc-images',
      prefix: '',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(
      load({ BLOB_STORE_URL: 's3://kc-images/p?endpoint=https://acc.r2.example&region=auto&forcePathStyle=false' })
        .blobs.location,
    ).toMatchObject({ region: 'auto', forcePathStyle: false });
  });

  it.each([
    ['not a url', /not a URL/],
    ['http://bucket/x', /unsupported scheme http:/],
    ['s3://KEY:SECRET@bucket/x', /credentials do not belong in the URL/],
    ['s3://Bad_Bucket/x', /not a valid bucket name/],
    ['s3://bucket:9000/x', /takes no port/],
    ['s3://bucket/a/../b', /prefix/],
    ['s3://bucket/x?endpoint=ftp://host', /endpoint must be an http\(s\) URL/],
    ['s3://bucket/x?endpoint=http://h:9000/path', /no path/],
    ['s3://bucket/x?regoin=eu-west-1', /unknown parameter "regoin"/],
    ['s3://bucket/x?forcePathStyle=yes', /forcePathStyle is true or false/],
    ['file://host/dir', /file:\/\/\/absolute\/dir/],
  ])('refuses %s', (url, message) => {
    expect(problems({ BLOB_STORE_URL: url })).toMatch(message);
    expect(problems({ BLOB_STORE_URL: url })).toMatch(/^BLOB_STORE_URL/);
  });

  it('wants both S3 credentials or neither', () => {
    expect(problems({ BLOB_STORE_URL: 's3://kc-images', S3_ACCESS_KEY_ID: 'AKIA' })).toMatch(
      /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither/,
    );
  });
});
