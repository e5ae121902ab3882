// Shared state that reports its failures (kc_shared_state_errors_total): every async operation that rejects is told
// to `onError` with its name, then rethrown unchanged. Built by the composition root around the real store.
import type { SharedState } from './shared-state.ts';

const UNOBSERVED = new Set<PropertyKey>(['close', 'rateLimiter', 'constructor']);

export function observedSharedState(state: SharedState, onError: (op: string) => void): SharedState {
  // One wrapper per operation, made on first use (not one per call: every image redemption makes one).
  const wrappers = new Map<PropertyKey, { of: unknown; wrapper: unknown }>();
  return new Proxy(state, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const known = wrappers.get(prop);
      if (known && known.of === v) return known.wrapper;
      const op = String(prop);
      const fail = (e: unknown) => {
        onError(op);
        throw e;
      };
      const wrapper = UNOBSERVED.has(prop)
        ? v.bind(target)
        : (...args: unknown[]) => {
            const r = v.apply(target, args);
            return r instanceof Promise ? r.catch(fail) : r;
          };
      wrappers.set(prop, { of: v, wrapper });
      return wrapper;
    },
  });
}
