// Configuration is read in sections, one per concern (docs/operations.md#configuration): each section names the
// environment variables it owns (a zod shape) and builds its typed value from them. src/main/config.ts merges
// every section's shape into one schema, parses the environment once (so every problem is listed at once) and
// hands each module only its own section. Nothing here reads process.env or writes anything.
import { z } from 'zod';
import type { KeyEntry } from '../../kernel/key-ring.ts';

export type NodeEnv = 'development' | 'production' | 'test';

/** What every section may depend on besides its own variables. */
export interface CommonConfig {
  env: NodeEnv;
  production: boolean;
  /** Absolute; the embedded database, the default blob store and development keys live under it. */
  dataDir: string;
}

export interface ConfigSection<S extends z.ZodRawShape, T> {
  readonly env: S;
  /** Builds the section; pushes a sentence per problem it finds across its variables (both-or-neither, …). */
  build(values: z.output<z.ZodObject<S>>, common: CommonConfig, problems: string[]): T;
}

export function configSection<S extends z.ZodRawShape, T>(
  env: S,
  build: (values: z.output<z.ZodObject<S>>, common: CommonConfig, problems: string[]) => T,
): ConfigSection<S, T> {
  return { env, build };
}

/** The built value of a section. */
export type SectionValue<C> = C extends ConfigSection<z.ZodRawShape, infer T> ? T : never;

export const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** `0`/`1`/`true`/`false`. */
export const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

/** `kid:secret,kid:secret`; the first entry signs, every entry verifies (rotation with overlap). */
export const keyRing = (name: string) =>
  z.string().transform((s, ctx): KeyEntry[] => {
    const keys: KeyEntry[] = [];
    for (const part of s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      const i = part.indexOf(':');
      const kid = i > 0 ? part.slice(0, i) : '';
      const secret = i > 0 ? part.slice(i + 1) : '';
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid) || secret.length < 32) {
        ctx.addIssue({
          code: 'custom',
          message: `${name}: each entry must be kid:secret with a secret of at least 32 characters`,
        });
        return z.NEVER;
      }
      keys.push({ kid, secret });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: `${name}: at least one kid:secret` });
      return z.NEVER;
    }
    return keys;
  });

/**
 * A secret every process needs. Production must set it; elsewhere `npm start` and the CLIs fill it from the
 * development key file before the configuration is read (src/main/dev-keys.ts), so unset here is a problem too.
 */
export function requiredSecret<T>(name: string, value: T | undefined, common: CommonConfig, problems: string[]): T {
  if (value === undefined)
    problems.push(
      common.production
        ? `${name}: required in production`
        : `${name}: required (npm start and the CLIs take development keys from DATA_DIR/dev-keys.json)`,
    );
  return value as T;
}
