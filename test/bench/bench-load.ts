// Load generation: autocannon for JSON endpoints, wrk for large bodies (autocannon tops out near 270 req/s on
// 200 KB bodies). Both report requests/s, p50, p99 and errors in one shape.

import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

const run = promisify(execFile);

export interface LoadResult {
  /** Requests completed in each second of the run (to see whether throughput decays). */
  perSecond?: number[];
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
}

export interface AutocannonSpec {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  /** Called per request: returns the path (and body for POST, and headers of this request only). */
  next: () => { path: string; body?: string; headers?: Record<string, string> };
  /** HTTP status the scenario counts as success (others are errors). */
  expect?: number;
}

export async function autocannonRun(spec: AutocannonSpec): Promise<LoadResult> {
  let bad = 0;
  const expected = spec.expect ?? 200;
  const perSecond: number[] = [];
  let done!: (r: autocannon.Result) => void;
  let failed!: (e: unknown) => void;
  const finished = new Promise<autocannon.Result>((res, rej) => {
    done = res;
    failed = rej;
  });
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.duration,
      requests: [
        {
          method: spec.method ?? 'GET',
          headers: spec.headers,
          setupRequest: (req) => {
            const n = spec.next();
            return {
              ...req,
              path: n.path,
              ...(n.body !== undefined ? { body: n.body } : {}),
              ...(n.headers ? { headers: { ...req.headers, ...n.headers } } : {}),
            };
          },
          onResponse: (status: number) => {
            if (status !== expected) bad++;
          },
        },
      ],
    },
    (err, res) => (err ? failed(err) : done(res)),
  );
  let current = 0;
  instance.on('response', () => {
    current++;
  });
  const ticker = setInterval(() => {
    perSecond.push(current);
    current = 0;
  }, 1000);
  const result = await finished.finally(() => clearInterval(ticker));
  return {
    perSecond,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + bad,
    requests: result.requests.total,
  };
}

/**
 * wrk over a list of request paths (each used once, in order per thread). Needs `wrk` on PATH. The Lua script
 * only picks paths (`request()`): a `response()` hook makes wrk hand every body to Lua, which costs nginx
 * about a fifth of its rate on 200 KB bodies. wrk counts non-2xx answers itself. The path list and script are
 * written to `workDir` and deleted after the run.
 */
export async function wrkRun(
  baseUrl: string,
  paths: string[],
  connections: number,
  duration: number,
  workDir: string,
): Promise<LoadResult> {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const list = path.join(workDir, `paths-${stamp}.txt`);
  const script = path.join(workDir, `paths-${stamp}.lua`);
  writeFileSync(list, paths.join('\n'));
  writeFileSync(
    script,
    `
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args)
  ps = {}
  local i = 0
  for line in io.lines("${list}") do
    if i % 2 == id then ps[#ps + 1] = line end
    i = i + 1
  end
  n = 0
end
function request() n = n + 1; return wrk.format("GET", ps[((n - 1) % #ps) + 1]) end
function done(summary, latency, requests)
  io.write(string.format("KCJSON {\\"p50\\": %f, \\"p99\\": %f}\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
`,
  );
  try {
    const { stdout } = await run(
      'wrk',
      ['-t2', `-c${connections}`, `-d${duration}s`, '--latency', '-s', script, baseUrl],
      { maxBuffer: 1 << 24 },
    );
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0);
    const total = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
    const sockErr = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const lat = JSON.parse(/KCJSON (.*)/.exec(stdout)?.[1] ?? '{"p50":0,"p99":0}');
    const socket = sockErr ? sockErr.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
    return { rps, p50: lat.p50, p99: lat.p99, errors: non2xx + socket, requests: total };
  } finally {
    rmSync(list, { force: true });
    rmSync(script, { force: true });
  }
}
