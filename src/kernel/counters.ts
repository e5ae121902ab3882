// Process counters that operators and tests read (how many catalog queries, how many debit statements).
// Built once by the composition root and handed to whoever counts, so two apps in one process (tests) never
// share a number.
export type CounterName = 'catalog.lookups' | 'debit.statements';

export class Counters {
  private readonly values = new Map<CounterName, number>();

  /** `sink` sees every increment (src/platform/metrics/metrics.ts mirrors them into the Prometheus registry). */
  constructor(private readonly sink?: (name: CounterName, by: number) => void) {}

  inc(name: CounterName, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
    this.sink?.(name, by);
  }

  get(name: CounterName): number {
    return this.values.get(name) ?? 0;
  }
}
