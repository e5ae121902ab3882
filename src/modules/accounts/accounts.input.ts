// The shapes operators send (admin API and CLI alike), validated strictly: unknown fields are errors, and
// the first problem is reported as `field: what is wrong` in a 400 bad_request.
import { z } from 'zod';
import { parseCredits } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { isUtcInstant, MAX_YEAR, MIN_YEAR } from '../../kernel/input.ts';
import { parseCidr } from '../../kernel/ip-allowlist.ts';

const name = z.string().trim().min(1).max(200);
const tier = z.enum(['free', 'standard', 'enterprise']);
const cidr = z
  .string()
  .max(64)
  .refine((s) => parseCidr(s) !== null, { message: 'must be an IPv4/IPv6 address or CIDR' });
const nameList = z.array(z.string().trim().min(1).max(200)).min(1).max(1000);
const scope = z.strictObject({ brands: nameList.nullable().optional(), ownerships: nameList.nullable().optional() });
const positive = z.number().int().min(1).max(1_000_000_000).nullable().optional();
const limits = z.strictObject({ per_minute: positive, per_day: positive });
// A real instant whose UTC year is within the sane range: the driver sends it as toISOString(), which has no
// form PostgreSQL reads for year 0 or 10000 (docs/input-validation.md#dates).
// zod runs the refinement even when the format check failed, so it must cope with any string.
const instant = z.iso.datetime({ offset: true }).refine(
  (v) => {
    const t = Date.parse(v);
    return Number.isFinite(t) && isUtcInstant(new Date(t).toISOString().replace(/\.000Z$/, 'Z'));
  },
  { message: `must be a real date-time between ${MIN_YEAR} and ${MAX_YEAR} (UTC)` },
);
const credits = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const u = parseCredits(v);
  if (u === null) {
    ctx.addIssue({ code: 'custom', message: 'must be a decimal number of credits with at most 4 decimals' });
    return z.NEVER;
  }
  return u;
});

export const createAccountInput = z.strictObject({ name, credits: credits.optional() });

export const createClientInput = z.strictObject({
  name,
  tier,
  /** `test` reads the sandbox catalog and is never charged (docs/test-mode.md); fixed once created. */
  mode: z.enum(['live', 'test']).optional(),
  ip_allowlist: z.array(cidr).max(100).optional(),
  scope: scope.nullable().optional(),
  expires_at: instant.nullable().optional(),
  limits: limits.optional(),
});

export const updateClientInput = z.strictObject({
  name: name.optional(),
  enabled: z.boolean().optional(),
  tier: tier.optional(),
  ip_allowlist: z.array(cidr).max(100).optional(),
  scope: scope.nullable().optional(),
  expires_at: instant.nullable().optional(),
  limits: limits.optional(),
});

export const grantCreditsInput = z.strictObject({ amount: credits, reason: z.string().trim().min(1).max(500) });

export type CreateAccountInput = z.infer<typeof createAccountInput>;
export type CreateClientInput = z.infer<typeof createClientInput>;
export type UpdateClientInput = z.infer<typeof updateClientInput>;
export type GrantCreditsInput = z.infer<typeof grantCreditsInput>;

/**
 * Account and client ids in a path: ours are `acct_`/`cl_` + a ULID, but any id the database may hold is
 * short and plain. Anything else names nothing, so it is a 404 without a query (docs/input-validation.md#admin).
 */
const ID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function assertIdShape(kind: 'account' | 'client', id: string): string {
  if (!ID_SHAPE.test(id)) throw new AppError('not_found', `No ${kind} with that id.`);
  return id;
}
