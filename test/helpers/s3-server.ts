// An S3-compatible server of a test's own: s3rver (a devDependency, so always installed) as a child process on
// 127.0.0.1, data in a temp directory removed on stop. It listens on a port the OS picks (-p 0) and prints it,
// so two test files never race for one. `env` is what a node needs to use it as its blob store.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { S3Client } from '@aws-sdk/client-s3';

export interface OwnS3 {
  endpoint: string;
  bucket: string;
  /** BLOB_STORE_URL and credentials for a node (prefix: a folder inside the bucket). */
  env(prefix?: string): Record<string, string>;
  /** A client of this server, for a test to look at the bucket directly. */
  client(): S3Client;
  stop(): Promise<void>;
}

// s3rver's fixed development credentials.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startOwnS3(bucket = 'kc-test'): Promise<OwnS3> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kc-s3rver-'));
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '-d', dir, '-a', '127.0.0.1', '-p', '0', '--silent', '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => {
    if (stderr.length < 4000) stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s3rver did not start in time: ${stderr}`)), 30_000);
      const rl = createInterface({ input: child.stdout! });
      rl.on('line', (line) => {
        const m = /S3rver listening on [^:]+:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s3rver exited with ${code}: ${stderr}`));
      });
    });
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  return {
    endpoint,
    bucket,
    env: (prefix = '') => ({
      BLOB_STORE_URL: `s3://${bucket}/${prefix}?endpoint=${encodeURIComponent(endpoint)}&region=us-east-1`,
      S3_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      S3_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    }),
    client() {
      const c = new S3Client({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: CREDENTIALS,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.destroy();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
