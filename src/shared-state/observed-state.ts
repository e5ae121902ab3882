// Shared state that reports its failures (kc_shared_state_errors_total): every async operation that rejects is told
// to `onError` with its name, then rethrown unchanged. Built by the composition root around the real store.
import type { SharedState } from './shared-state.ts';

const UNOBSERVED = new Set<PropertyKey>(['close', 'rateLimiter', 'constructor']);

export function observedSharedState(state: SharedState, onError: (op: string) => void): SharedState {
  return new Proxy(state, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      if (UNOBSERVED.has(prop)) return v.bind(target);
      return (...args: unknown[]) => {
        const r = v.apply(target, args);
        return r instanceof Promise
          ? r.catch((e: unknown) => {
              onError(String(prop));
              throw e;
            })
          : r;
      };
    },
  });
}
