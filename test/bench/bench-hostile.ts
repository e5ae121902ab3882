// The "hostile mix" of `npm run bench`: the billed GraphQL product read at full concurrency while a few
// connections loop the worst documents an attacker can send (docs/graphql-limits.md): ones that execute (a
// fragment bomb billed once, the standard introspection query, served from the introspection cache after the
// first) and ones refused: before parsing (an introspection flood over the length limit, a token flood over the
// token limit) or by the planner (a doubling introspection tree over the alias limit as executed, a listing
// flood, a null @skip). Reports the honest traffic beside its quiet twin, and the latency of the attackers'
// refused documents.

const times = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');

export function hostileDocuments(barcode: string): { name: string; query: string; refused: boolean }[] {
  const fragmentBomb =
    `{ product(barcode: "${barcode}") { ...F0 } } ` +
    times(19, (i) => `fragment F${i} on Product { barcode ...F${i + 1} ...F${i + 1} }`) +
    ' fragment F19 on Product { availableVariants }';
  const treeBomb =
    '{ __schema { types { ...T0 } } } ' +
    times(12, (i) => `fragment T${i} on __Type { a: ofType { ...T${i + 1} } b: ofType { ...T${i + 1} } }`) +
    ' fragment T12 on __Type { name }';
  const body = 'name kind description fields { name description args { name } }';
  return [
    { name: 'fragment bomb', query: fragmentBomb, refused: false },
    // 2^13 aliases as executed: refused by the planner (more than 100 aliases), walked on every request.
    { name: 'introspection tree', query: treeBomb, refused: true },
    {
      name: 'standard introspection',
      query: '{ __schema { types { name kind fields { name type { name kind ofType { name kind } } } } } }',
      refused: false,
    },
    {
      name: 'introspection flood',
      query: `{ __schema { ${times(3000, (i) => `a${i}: types { ${body} }`)} } }`,
      refused: true,
    },
    {
      name: 'listing flood',
      query: `{ ${times(100, (i) => `c${i}: catalog(first: 500) { edges { cursor } }`)} }`,
      refused: true,
    },
    // 4,500 tokens in 26,000 characters: under the length limit, so it is the token limit that refuses it
    // (2,500 aliases were 44,000 characters, refused for their length like the introspection flood).
    { name: 'token flood', query: `{ ${times(1500, (i) => `a${i}: __typename`)} }`, refused: true },
    {
      name: 'null @skip',
      query: `query($s: Boolean = true) { product(barcode: "${barcode}") @skip(if: $s) { barcode } }`,
      refused: true,
    },
  ];
}

export interface AttackReport {
  sent: number;
  refused: number;
  refusedP99: number;
  passedP99: number;
  fiveXx: number;
}

/** `connections` loops sending the documents in turn until `stop()`; half of them with the token. */
export function attack(url: string, token: string, barcode: string, connections: number) {
  const docs = hostileDocuments(barcode);
  let stopped = false;
  const refusedMs: number[] = [];
  const passedMs: number[] = [];
  let fiveXx = 0;
  const loops = Array.from({ length: connections }, async (_, w) => {
    // Bounded: at most 100,000 requests per loop, and the caller stops it after the scenario's seconds.
    for (let n = 0; !stopped && n < 100_000; n++) {
      const d = docs[(n + w) % docs.length];
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (w % 2 === 0) headers.authorization = `Bearer ${token}`;
      const t = performance.now();
      try {
        const r = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query: d.query, variables: { s: null } }),
        });
        await r.arrayBuffer();
        if (r.status >= 500) fiveXx++;
        (d.refused || r.status === 429 ? refusedMs : passedMs).push(performance.now() - t);
      } catch {
        fiveXx++;
      }
    }
  });
  const p99 = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] : 0;
  };
  return async (): Promise<AttackReport> => {
    stopped = true;
    await Promise.all(loops);
    return {
      sent: refusedMs.length + passedMs.length,
      refused: refusedMs.length,
      refusedP99: p99(refusedMs),
      passedP99: p99(passedMs),
      fiveXx,
    };
  };
}
