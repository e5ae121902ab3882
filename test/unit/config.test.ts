// Configuration fails fast with every problem listed, and never with a stack trace.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config.ts';

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

  it('requires every secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /JWT_KEYS[\s\S]*IMAGE_URL_KEYS[\s\S]*IMAGE_MARK_KEYS[\s\S]*ADMIN_TOKEN/,
    );
  });

  it('parses key rings: the first key signs, all verify', () => {
    const c = loadConfig({
      JWT_KEYS: `new:${'a'.repeat(32)},old:${'b'.repeat(32)}`,
      TRUSTED_PROXIES: '10.0.0.0/8, ::1',
    });
    expect(c.JWT_KEYS.map((k) => k.kid)).toEqual(['new', 'old']);
    expect(c.TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '::1']);
    expect(c.generatedSecrets).toEqual(['IMAGE_URL_KEYS', 'IMAGE_MARK_KEYS', 'WEBHOOK_SECRET_KEYS']);
  });

  it('stops npm start with the list and exit code 1, no stack trace', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
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
});
