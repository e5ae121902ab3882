// Configuration fails fast with every problem listed, and never with a stack trace.

import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/main/config.ts';
import { loadConfigWithDevKeys } from '../../src/main/dev-keys.ts';
import { testSecrets } from '../helpers/secrets.ts';

/** Outside production every entry point fills the secrets first (dev-keys.ts); these tests bring their own. */
const load = (env: Record<string, string | undefined>) => loadConfig({ ...testSecrets(), ...env });

import { parseRedisUrl } from '../../src/kernel/redis-url.ts';
import { repoRoot } from '../helpers/paths.ts';

describe('config', () => {
  it('lists every problem at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'not a url', LOG_LEVEL: 'loud', JWT_KEYS: 'k1:short' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'JWT_KEYS']) expect(problems).toContain(key);
  });

  it('CATALOG_CACHE_ENTRIES: 100000 by default, 0 turns the cache off, a negative or fractional bound is refused', () => {
    expect(load({}).catalog.cacheEntries).toBe(100_000);
    expect(load({ CATALOG_CACHE_ENTRIES: '0' }).catalog.cacheEntries).toBe(0);
    expect(() => load({ CATALOG_CACHE_ENTRIES: '-1' })).toThrow(/CATALOG_CACHE_ENTRIES/);
    expect(() => load({ CATALOG_CACHE_ENTRIES: '1.5' })).toThrow(/CATALOG_CACHE_ENTRIES/);
  });

  it('AUTH_CLIENT_CACHE_ENTRIES: 50000 by default, at least 1, whole numbers', () => {
    expect(load({}).auth.clientCacheEntries).toBe(50_000);
    expect(load({ AUTH_CLIENT_CACHE_ENTRIES: '10' }).auth.clientCacheEntries).toBe(10);
    expect(() => load({ AUTH_CLIENT_CACHE_ENTRIES: '0' })).toThrow(/AUTH_CLIENT_CACHE_ENTRIES/);
    expect(() => load({ AUTH_CLIENT_CACHE_ENTRIES: '2.5' })).toThrow(/AUTH_CLIENT_CACHE_ENTRIES/);
  });

  it('HEAP_GROWING_PERCENT: 100 by default, 0 leaves it to V8, whole numbers 0..1000', () => {
    expect(load({}).process.heapGrowingPercent).toBe(100);
    expect(load({ HEAP_GROWING_PERCENT: '0' }).process.heapGrowingPercent).toBe(0);
    expect(() => load({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => load({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('requires every secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_KEYS[\s\S]*IMAGE_URL_KEYS[\s\S]*IMAGE_MARK_KEYS[\s\S]*ADMIN_TOKEN/,
    );
  });

  it('production without DATABASE_URL is refused unless EMBEDDED_POSTGRES=1 says so', () => {
    const prod = (env: Record<string, string>) => load({ NODE_ENV: 'production', ...env });
    let err: unknown;
    try {
      prod({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'DATABASE_URL: required in production; set EMBEDDED_POSTGRES=1 to run the embedded PostgreSQL in production on purpose',
    ]);
    expect(() => prod({ EMBEDDED_POSTGRES: '0' })).toThrow(/DATABASE_URL: required in production/);
    expect(prod({ EMBEDDED_POSTGRES: '1' }).database.url).toBeUndefined();
    expect(prod({ DATABASE_URL: 'postgres://db.example:5432/kc' }).database.url).toBe('postgres://db.example:5432/kc');
    // Outside production the embedded database stays the default, with nothing to set.
    expect(load({}).database.url).toBeUndefined();
  });

  it('parses key rings: the first key signs, all verify', () => {
    const c = load({
      JWT_KEYS: `new:${'a'.repeat(32)},old:${'b'.repeat(32)}`,
      TRUSTED_PROXIES: '10.0.0.0/8, ::1',
    });
    expect(c.auth.jwtKeys.map((k) => k.kid)).toEqual(['new', 'old']);
    expect(c.http.trustedProxies).toEqual(['10.0.0.0/8', '::1']);
  });

  it('WORKERS: 1 by default, auto = one per core, 1..64; anything else is refused by name', () => {
    const workers = (v?: string) => load({ WORKERS: v }).process.workers;
    expect(workers()).toBe(1);
    expect(workers('auto')).toBe(Math.min(64, os.availableParallelism()));
    expect(workers('3')).toBe(3);
    expect(workers('64')).toBe(64);
    for (const bad of ['0', '65', '1.5', 'two', '-1'])
      expect(() => workers(bad)).toThrow(/WORKERS: must be auto or a whole number from 1 to 64/);
  });

  it('keeps development keys in DATA_DIR (mode 600): every process on it signs with the same keys', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-devkeys-'));
    try {
      const first = loadConfigWithDevKeys({ DATA_DIR: dir });
      const a = first.config;
      const b = loadConfigWithDevKeys({ DATA_DIR: dir, JWT_KEYS: `mine:${'c'.repeat(32)}` }).config;
      expect(first.devKeys.file).toBe(path.join(dir, 'dev-keys.json'));
      expect(first.devKeys.generated).toEqual([
        'JWT_KEYS',
        'IMAGE_URL_KEYS',
        'IMAGE_MARK_KEYS',
        'WEBHOOK_SECRET_KEYS',
        'ADMIN_TOKEN',
      ]);
      expect((await stat(first.devKeys.file!)).mode & 0o777).toBe(0o600);
      expect(b.images.urlKeys).toEqual(a.images.urlKeys);
      expect(b.images.markKeys).toEqual(a.images.markKeys);
      expect(b.admin.token).toBe(a.admin.token);
      expect(b.auth.jwtKeys.map((k) => k.kid)).toEqual(['mine']); // an explicit key wins over the file
      expect(a.auth.jwtKeys[0].secret.length).toBeGreaterThanOrEqual(32);
      expect(a.admin.token.length).toBeGreaterThanOrEqual(24);
      expect(new Set([a.auth.jwtKeys[0].secret, a.images.urlKeys[0].secret, a.images.markKeys[0].secret]).size).toBe(3);
      // Production never reads the file: the keys must be set, and all missing ones are listed.
      expect(() =>
        loadConfigWithDevKeys({ DATA_DIR: dir, NODE_ENV: 'production', JWT_KEYS: `k:${'d'.repeat(32)}` }),
      ).toThrow(/IMAGE_URL_KEYS: required in production[\s\S]*IMAGE_MARK_KEYS[\s\S]*ADMIN_TOKEN/);
      // A damaged file is a clear configuration error, never a silent new key set.
      await writeFile(first.devKeys.file!, '{not json');
      expect(() => loadConfigWithDevKeys({ DATA_DIR: dir })).toThrow(/development keys: .*dev-keys.json is unreadable/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops npm start with the list and exit code 1, no stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/main.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', PORT: '-1', DATABASE_URL: 'nope' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('takes REDIS_URL for one Redis or, as redis+cluster://host:port,…, a Redis Cluster; refuses anything else', () => {
    expect(load({ REDIS_URL: 'redis://10.0.0.5:6379/2' }).sharedState.redisUrl).toBe('redis://10.0.0.5:6379/2');
    expect(load({ REDIS_URL: 'redis+cluster://10.0.0.5:7000,10.0.0.6:7000/' }).sharedState.redisUrl).toBeDefined();
    for (const [bad, says] of [
      ['redis+cluster://10.0.0.5', /host:port seed nodes/],
      ['redis+cluster://a:7000,,b:7000', /host:port seed nodes/],
      ['redis+cluster://a:7000/2', /no path, database or options/],
      ['redis+cluster://a:70000', /host:port seed nodes/],
      ['10.0.0.5 6379', /not a URL/],
    ] as const) {
      let err: unknown;
      try {
        load({ REDIS_URL: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n'), bad).toMatch(says);
      expect((err as ConfigError).problems.join('\n'), bad).toContain('REDIS_URL');
    }
  });
});

describe('parseRedisUrl', () => {
  it('reads seed nodes, credentials and TLS of the cluster form', () => {
    expect(parseRedisUrl('rediss+cluster://app:p%40ss@[::1]:7000,redis-2.internal:7001')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'redis-2.internal', port: 7001 },
      ],
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://:secret@127.0.0.1:7000')).toMatchObject({
      username: undefined,
      password: 'secret',
      tls: false,
    });
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
  });
});
