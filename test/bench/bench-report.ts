// The report of `npm run bench`: the header (machine, Node, load average, commit, how the database was reset),
// one markdown table with every scenario beside its floors and peers, the targets with their same-run ratios,
// and the soak. Every number is a median over the interleaved rounds; a ratio is the median of the per-round
// ratios (each pair measured back to back), so a noisy minute on the shared machine moves one round only.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './bench-load.ts';
import { ROOT } from './bench-proc.ts';

/** One measured run of one subject: the load result and what the server process spent on it. */
export interface Sample extends LoadResult {
  peakRssMb: number;
  /** Server CPU over the run, % of one core (2 cores busy = 200 %). */
  cpuPct: number;
  /** Server CPU milliseconds per completed request: the least noisy number on a shared machine. */
  cpuMsPerReq: number;
}

export interface Comparison {
  /** Key of the floor or peer subject in the same group. */
  ref: string;
  /** Also compare p50 latency (for the latency rows). */
  p50?: boolean;
}

export interface SubjectSummary {
  key: string;
  label: string;
  /** How a ratio names it (default: the label). */
  short?: string;
  kind: 'api' | 'floor' | 'peer';
  /** What the server ran on: `node v22.23.3 dist/`, `node v22.23.3 + tsx src/`, `nginx`. */
  runsOn: string;
  /** Why there is no measurement (e.g. "nginx not installed"). */
  missing?: string;
  samples: Sample[];
  vs: Comparison[];
}

export const median = (xs: number[]) => {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export interface Ratio {
  ref: SubjectSummary;
  rps: number;
  p50?: number;
}

/** Per-round ratios of a subject to its reference, medians of them. */
export function ratio(s: SubjectSummary, ref: SubjectSummary, p50 = false): Ratio | null {
  const n = Math.min(s.samples.length, ref.samples.length);
  if (!n) return null;
  const rounds = Array.from({ length: n }, (_, i) => i);
  return {
    ref,
    rps: median(rounds.map((i) => s.samples[i].rps / ref.samples[i].rps)),
    ...(p50 ? { p50: median(rounds.map((i) => s.samples[i].p50 / ref.samples[i].p50)) } : {}),
  };
}

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

export function tableRows(subjects: SubjectSummary[], byKey: Map<string, SubjectSummary>): string[] {
  return subjects.map((s) => {
    const name = s.kind === 'api' ? `**${s.label}**` : `↳ ${s.label}`;
    if (s.missing || !s.samples.length)
      return `| ${name} | ${s.runsOn} | ${s.missing ?? 'not measured'} | | | | | | | |`;
    const m = (k: keyof Sample) => median(s.samples.map((x) => x[k] as number));
    const ratios = s.vs
      .map((c) => {
        const ref = byKey.get(c.ref);
        if (!ref) return '';
        const refName = ref.short ?? ref.label;
        if (ref.missing) return `${refName}: ${ref.missing}`;
        const r = ratio(s, ref, c.p50);
        return r ? `${f2(r.rps)}× ${refName}${r.p50 !== undefined ? ` (p50 ${f2(r.p50)}×)` : ''}` : '';
      })
      .filter(Boolean)
      .join('; ');
    const errors = s.samples.reduce((a, x) => a + x.errors, 0);
    const rss = Math.max(...s.samples.map((x) => x.peakRssMb));
    return `| ${name} | ${s.runsOn} | ${f0(m('rps'))} | ${f1(m('p50'))} | ${f1(m('p99'))} | ${errors} | ${rss} | ${f0(m('cpuPct'))} | ${f2(m('cpuMsPerReq'))} | ${ratios} |`;
  });
}

export const TABLE_HEAD = [
  '| scenario (bold) and its floors/peers (↳) | runs on | req/s | p50 ms | p99 ms | errors | peak RSS MB | server CPU % | CPU ms/req | ratio to floors/peers (req/s) |',
  '|---|---|---|---|---|---|---|---|---|---|',
];

export interface Machine {
  line: string;
  load: () => string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT }).toString().trim();
    if (dirty) commit += ' (src/ modified)';
  } catch {
    /* not a checkout */
  }
  return {
    line:
      `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `Linux ${os.release()}, load generator on Node ${process.version}, commit ${commit}`,
    load: () =>
      os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' / '),
  };
}

export interface Target {
  name: string;
  /** Measured value as text (e.g. "0.59× (1151 vs 1959 req/s)"). */
  measured: string;
  met: boolean | null;
  /** Why, when missed or not measured. */
  note?: string;
}

export function targetLines(targets: Target[]): string[] {
  return [
    '| target | measured (same run) | result |',
    '|---|---|---|',
    ...targets.map(
      (t) =>
        `| ${t.name} | ${t.measured} | ${t.met === null ? 'not measured' : t.met ? 'met' : '**missed**'}${t.note ? `: ${t.note}` : ''} |`,
    ),
  ];
}

/** Newest run first; earlier runs stay below it (they are only comparable within themselves). */
export function prependResults(title: string, text: string): void {
  const file = path.join(ROOT, 'test/bench/RESULTS.md');
  let previous = '';
  try {
    previous = readFileSync(file, 'utf8');
  } catch {
    /* first run */
  }
  const cut = previous.indexOf('\n## ');
  const intro = cut >= 0 ? previous.slice(0, cut).trimEnd() : '# Benchmark results';
  const older = cut >= 0 ? previous.slice(cut + 1) : '';
  writeFileSync(file, `${intro}\n\n## ${title}\n\n${text}\n${older ? `\n${older}` : ''}`);
}
