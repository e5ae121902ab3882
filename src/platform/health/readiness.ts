// Whether this node wants new traffic (docs/operations.md#readiness-and-drain): set once, on SIGTERM, before the
// drain period; /readyz answers 503 from then on so that load balancers stop sending before the node stops
// accepting, and every response carries `Connection: close` so that kept-alive clients reconnect elsewhere.

export class Readiness {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  /** One way: a node never becomes ready again once it has begun to stop. */
  drain(): void {
    this.#draining = true;
  }
}
