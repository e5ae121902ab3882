// Processes of the bench: children started with the bench's Node (bench-node.ts) from the checkout (plain
// JavaScript; only the API "before the build" runs src/ through tsx), readiness, and what each one costs, read
// from /proc: CPU time (utime + stime of the process and its descendants, e.g. nginx workers) and peak RSS
// (VmHWM, reset between scenarios through clear_refs).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on every Linux build we run on). */
const HZ = 100;

export function startNode(
  /** The Node binary (bench-node.ts). */
  node: string,
  args: string[],
  env: Record<string, string>,
  nodeFlags: string[] = [],
  /** True only for TypeScript sources (the API from src/, "before the build"); everything else is plain JS. */
  tsx = false,
): ChildProcess {
  const child = spawn(node, [...(tsx ? ['--import', 'tsx'] : []), ...nodeFlags, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.unref();
  return child;
}

/** Waits until `url` answers below 500; gives up when `child` has exited or after 60 s. */
export async function waitFor(url: string, init?: RequestInit, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child && child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      const r = await fetch(url, init);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error(`${url} did not come up in 60 s`);
}

/** The process and every descendant (one pass over /proc). */
function tree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [c, p] of parent) if (p === out[i]) out.push(c);
  return out;
}

/** CPU milliseconds used so far by the process and its descendants. */
export function cpuMs(pid: number): number {
  let ticks = 0;
  for (const p of tree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch {
      /* gone */
    }
  }
  return (ticks * 1000) / HZ;
}

const status = (pid: number, field: string) => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};
/** Peak RSS since the last reset (VmHWM), in MB, summed over the process tree. */
export const peakRssMb = (pid: number) => Math.round(tree(pid).reduce((a, p) => a + status(p, 'VmHWM'), 0));
/** Current RSS in MB, summed over the process tree. */
export const rssMb = (pid: number) => Math.round(tree(pid).reduce((a, p) => a + status(p, 'VmRSS'), 0));
export function resetPeakRss(pid: number): void {
  for (const p of tree(pid))
    try {
      writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch {
      /* not supported: peak since start */
    }
}

/** POSTs JSON and returns the parsed answer; any status from 300 up throws with the body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  if (r.status >= 300) throw new Error(`${url}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}
