// Configuration fails fast with every problem listed, and never with a stack trace.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../../src/main/config.ts';
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
    expect(loadConfig({}).CATALOG_CACHE_ENTRIES).toBe(100_000);
    expect(loadConfig({ CATALOG_CACHE_ENTRIES: '0' }).CATALOG_CACHE_ENTRIES).toBe(0);
    expect(() => loadConfig({ CATALOG_CACHE_ENTRIES: '-1' })).toThrow(/CATALOG_CACHE_ENTRIES/);
    expect(() => loadConfig({ CATALOG_CACHE_ENTRIES: '1.5' })).toThrow(/CATALOG_CACHE_ENTRIES/);
  });

  it('AUTH_CLIENT_CACHE_ENTRIES: 50000 by default, at least 1, whole numbers', () => {
    expect(loadConfig({}).AUTH_CLIENT_CACHE_ENTRIES).toBe(50_000);
    expect(loadConfig({ AUTH_CLIENT_CACHE_ENTRIES: '10' }).AUTH_CLIENT_CACHE_ENTRIES).toBe(10);
    expect(() => loadConfig({ AUTH_CLIENT_CACHE_ENTRIES: '0' })).toThrow(/AUTH_CLIENT_CACHE_ENTRIES/);
    expect(() => loadConfig({ AUTH_CLIENT_CACHE_ENTRIES: '2.5' })).toThrow(/AUTH_CLIENT_CACHE_ENTRIES/);
  });

  it('HEAP_GROWING_PERCENT: 100 by default, 0 leaves it to V8, whole numbers 0..1000', () => {
    expect(loadConfig({}).HEAP_GROWING_PERCENT).toBe(100);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: '-5' })).toThrow(/HEAP_GROWING_PERCENT/);
    expect(() => loadConfig({ HEAP_GROWING_PERCENT: 'lots' })).toThrow(/HEAP_GROWING_PERCENT/);
  });

  it('requires every secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_KEYS[\s\S]*IMAGE_URL_KEYS[\s\S]*IMAGE_MARK_KEYS[\s\S]*ADMIN_TOKEN/,
    );
  });

  it('parses key rings: the first key signs, all verify', () => {
    const c = loadConfig(
      {
        JWT_KEYS: `new:${'a'.repeat(32)},old:${'b'.repeat(32)}`,
        TRUSTED_PROXIES: '10.0.0.0/8, ::1',
      },
      () => 'x'.repeat(43),
    );
    expect(c.JWT_KEYS.map((k) => k.kid)).toEqual(['new', 'old']);
    expect(c.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1']);
    expect(c.generatedSecrets).toEqual(['IMAGE_URL_KEYS', 'IMAGE_MARK_KEYS', 'WEBHOOK_SECRET_KEYS', 'ADMIN_TOKEN']);
  });

  it('WORKERS: 1 by default, auto = one per core, 1..64; anything else is refused by name', () => {
    const workers = (v?: string) => loadConfig({ WORKERS: v }, () => 'x'.repeat(43)).WORKERS;
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
      const a = loadConfig({ DATA_DIR: dir });
      const b = loadConfig({ DATA_DIR: dir, JWT_KEYS: `mine:${'c'.repeat(32)}` });
      expect(a.devKeysFile).toBe(path.join(dir, 'dev-keys.json'));
      expect((await stat(a.devKeysFile!)).mode & 0o777).toBe(0o600);
      expect(b.IMAGE_URL_KEYS).toEqual(a.IMAGE_URL_KEYS);
      expect(b.IMAGE_MARK_KEYS).toEqual(a.IMAGE_MARK_KEYS);
      expect(b.ADMIN_TOKEN).toBe(a.ADMIN_TOKEN);
      expect(b.JWT_KEYS.map((k) => k.kid)).toEqual(['mine']); // an explicit key wins over the file
      expect(a.JWT_KEYS[0].secret.length).toBeGreaterThanOrEqual(32);
      expect(a.ADMIN_TOKEN!.length).toBeGreaterThanOrEqual(24);
      expect(new Set([a.JWT_KEYS[0].secret, a.IMAGE_URL_KEYS[0].secret, a.IMAGE_MARK_KEYS[0].secret]).size).toBe(3);
      // Production never reads the file: the keys must be set, and all missing ones are listed.
      expect(() => loadConfig({ DATA_DIR: dir, NODE_ENV: 'production', JWT_KEYS: `k:${'d'.repeat(32)}` })).toThrow(
        /IMAGE_URL_KEYS: required in production[\s\S]*IMAGE_MARK_KEYS[\s\S]*ADMIN_TOKEN/,
      );
      // A damaged file is a clear configuration error, never a silent new key set.
      await writeFile(a.devKeysFile!, '{not json');
      expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/development keys: .*dev-keys.json is unreadable/);
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
    const secret = () => 'x'.repeat(43);
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379/2' }, secret).REDIS_URL).toBe('redis://10.0.0.5:6379/2');
    expect(loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.5:7000,10.0.0.6:7000/' }, secret).REDIS_URL).toBeDefined();
    for (const [bad, says] of [
      ['redis+cluster://10.0.0.5', /host:port seed nodes/],
      ['redis+cluster://a:7000,,b:7000', /host:port seed nodes/],
      ['redis+cluster://a:7000/2', /no path, database or options/],
      ['redis+cluster://a:70000', /host:port seed nodes/],
      ['10.0.0.5 6379', /not a URL/],
    ] as const) {
      let err: unknown;
      try {
        loadConfig({ REDIS_URL: bad }, secret);
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
