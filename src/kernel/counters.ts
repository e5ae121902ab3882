// Process counts that operators and tests read synchronously (how many catalog queries, how many debit
// statements). Built once by the composition root and handed to whoever counts, so two apps in one process
// (tests) never share a number. Names are the counting module's (`catalog.lookups`, `debit.statements`).
export class Counters {
  private readonly values = new Map<string, number>();
  private readonly sinks = new Map<string, (by: number) => void>();

  /** `sink` sees every increment of `name` (a module mirrors its count into a Prometheus counter). */
  mirror(name: string, sink: (by: number) => void): void {
    this.sinks.set(name, sink);
  }

  inc(name: string, by = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + by);
    this.sinks.get(name)?.(by);
  }

  get(name: string): number {
    return this.values.get(name) ?? 0;
  }
}
