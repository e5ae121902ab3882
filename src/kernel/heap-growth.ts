// How far V8 lets the old generation grow past what a full GC left alive before the next one
// (docs/operations.md#memory). Left to itself, on a host with 16 GB or more (a heap limit of 2 GB or more) V8
// grows it by up to 4x: the API's ~150 MB alive with the catalog cache full became peaks of ~750 MB, almost all
// garbage of finished requests. HEAP_GROWING_PERCENT fixes the factor (100: the next full GC comes at twice
// what the last one left alive). Set by src/main/main.ts right after the configuration is read, so it applies to a
// single process and to every cluster worker. V8 reads the factor at every full GC, so setting it at run time
// takes effect at the next one. A --heap-growing-percent on the node command line wins.
import v8 from 'node:v8';

export function setHeapGrowth(percent: number): void {
  if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
