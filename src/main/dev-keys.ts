// Development keys that survive restarts (docs/operations.md#development-keys). Outside production, a signing key
// ring or ADMIN_TOKEN left unset is taken from <DATA_DIR>/dev-keys.json, created once (mode 600) with fresh random
// secrets. Tokens, signed image URLs, trace and identify then give the same answers in every process on that
// DATA_DIR: the server after a restart, and the CLIs beside it. Production never reads this file. Every entry point
// calls withDevKeys before loadConfig, which itself only parses (and writes nothing).

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError, DEFAULT_DATA_DIR, loadConfig } from './config.ts';

const DEV_KEYS_FILE = 'dev-keys.json';

type DevKeyName = 'JWT_KEYS' | 'IMAGE_URL_KEYS' | 'IMAGE_MARK_KEYS' | 'WEBHOOK_SECRET_KEYS' | 'ADMIN_TOKEN';

const DEV_KEY_NAMES: DevKeyName[] = [
  'JWT_KEYS',
  'IMAGE_URL_KEYS',
  'IMAGE_MARK_KEYS',
  'WEBHOOK_SECRET_KEYS',
  'ADMIN_TOKEN',
];

const fresh = (name: DevKeyName) =>
  name === 'ADMIN_TOKEN' ? `adm_dev_${randomBytes(24).toString('base64url')}` : randomBytes(32).toString('base64url');

function read(file: string): Record<string, string> {
  try {
    const j = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return j && typeof j === 'object' ? (j as Record<string, string>) : {};
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`${file} is unreadable (${(e as Error).message}); delete it to get new development keys`);
  }
}

/** The stored secret of each name, creating the missing ones. */
function devSecrets(dataDir: string, names: DevKeyName[]): { file: string; secrets: Record<DevKeyName, string> } {
  const file = path.join(path.resolve(dataDir), DEV_KEYS_FILE);
  let stored = read(file);
  const missing = names.filter((n) => typeof stored[n] !== 'string' || stored[n].length < 32);
  if (missing.length) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // First writer wins: two processes starting together on a fresh DATA_DIR end with the same keys.
      writeFileSync(file, `${JSON.stringify(Object.fromEntries(names.map((n) => [n, fresh(n)])), null, 2)}\n`, {
        flag: 'wx',
        mode: 0o600,
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      stored = read(file);
      const add = names.filter((n) => typeof stored[n] !== 'string' || stored[n].length < 32);
      if (add.length) {
        const tmp = `${file}.${process.pid}.tmp`;
        const next = { ...stored, ...Object.fromEntries(add.map((n) => [n, fresh(n)])) };
        writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
        renameSync(tmp, file);
      }
    }
    chmodSync(file, 0o600);
    stored = read(file);
  }
  return { file, secrets: Object.fromEntries(names.map((n) => [n, stored[n]])) as Record<DevKeyName, string> };
}

export interface DevKeys {
  /** The environment with every unset development key filled in. */
  env: Record<string, string | undefined>;
  /** The names taken from the file (for the start-up warning). */
  generated: DevKeyName[];
  file?: string;
}

/**
 * Outside production, fills every unset key ring and ADMIN_TOKEN of `env` from <DATA_DIR>/dev-keys.json (created
 * when missing; a key ring becomes `dev:<secret>`). Production gets `env` back unchanged: its keys are required.
 */
function withDevKeys(env: Record<string, string | undefined>): DevKeys {
  if (env.NODE_ENV === 'production') return { env, generated: [] };
  const unset = DEV_KEY_NAMES.filter((k) => !env[k]);
  if (!unset.length) return { env, generated: [] };
  const { file, secrets } = devSecrets(env.DATA_DIR || DEFAULT_DATA_DIR, unset);
  const filled = Object.fromEntries(unset.map((k) => [k, k === 'ADMIN_TOKEN' ? secrets[k] : `dev:${secrets[k]}`]));
  return { env: { ...env, ...filled }, generated: unset, file };
}

/** What every entry point (server, CLIs) does first: development keys filled in, then the configuration parsed. */
export function loadConfigWithDevKeys(env: Record<string, string | undefined> = process.env): {
  config: Config;
  devKeys: DevKeys;
} {
  let devKeys: DevKeys;
  try {
    devKeys = withDevKeys(env);
  } catch (e) {
    throw new ConfigError([`development keys: ${(e as Error).message}`]);
  }
  return { config: loadConfig(devKeys.env), devKeys };
}
