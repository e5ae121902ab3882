// Promise.withResolvers for PostGraphile 5 on Node 20 (it arrived in Node 22); without it grafast's queries
// fail with "reading 'items'". Loaded with --import before the peer, in the peer's process only.
const P = Promise as unknown as { withResolvers?: () => unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = () => {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
