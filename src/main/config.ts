// The only module that reads process.env (docs/operations.md#configuration). Configuration comes in sections, one
// per concern, each owned by the module or platform part it configures; this file merges their variables into one
// schema, parses the environment once (a bad value stops start-up with every problem listed at once) and builds
// every section. Loading it has no side effects: development keys are filled in beforehand by dev-keys.ts.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { accountsConfig } from '../modules/accounts/index.ts';
import { authConfig } from '../modules/auth/index.ts';
import { billingConfig } from '../modules/billing/index.ts';
import { catalogConfig } from '../modules/catalog/index.ts';
import { imagesConfig } from '../modules/images/index.ts';
import { limitsConfig } from '../modules/limits/index.ts';
import { peopleConfig } from '../modules/people/index.ts';
import { webhooksConfig } from '../modules/webhooks/index.ts';
import { blobsConfig } from '../platform/blobs/blobs.config.ts';
import { type CommonConfig, configSection, int, type NodeEnv, type SectionValue } from '../platform/config/section.ts';
import { databaseConfig } from '../platform/db/database.config.ts';
import { graphqlConfig } from '../platform/graphql/graphql.config.ts';
import { adminConfig, httpConfig } from '../platform/http/http.config.ts';
import { mailConfig } from '../platform/mail/mail.config.ts';
import { sharedStateConfig } from '../platform/shared-state/shared-state.config.ts';
import { telemetryConfig } from '../platform/telemetry/telemetry.config.ts';

/** Where DATA_DIR points when unset (dev-keys.ts reads it too, before the configuration is loaded). */
export const DEFAULT_DATA_DIR = '.data';

const COMMON = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATA_DIR: z.string().default(DEFAULT_DATA_DIR),
};

/** How this process runs: its workers and its heap (docs/operations.md#worker-processes, #memory). */
const processConfig = configSection(
  {
    /** API processes on this node, all serving the same ports. `auto`: one per core. More than 1 needs REDIS_URL. */
    WORKERS: z
      .string()
      .default('1')
      .transform((s, ctx) => {
        if (s === 'auto') return Math.min(64, os.availableParallelism());
        const n = Number(s);
        if (Number.isInteger(n) && n >= 1 && n <= 64) return n;
        ctx.addIssue({ code: 'custom', message: 'must be auto or a whole number from 1 to 64' });
        return z.NEVER;
      }),
    /** V8's old generation grows this many percent past what the last full GC left alive (0: V8's own choice). */
    HEAP_GROWING_PERCENT: int(0, 1000).default(100),
  },
  (e) => ({ workers: e.WORKERS, heapGrowingPercent: e.HEAP_GROWING_PERCENT }),
);

const logConfig = configSection(
  {
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** auto: human-readable lines on a terminal, JSON otherwise (docs/operations.md#logs). */
    LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  },
  (e) => ({ level: e.LOG_LEVEL, format: e.LOG_FORMAT }),
);

const demoConfig = configSection(
  {
    /**
     * Products seeded into an empty catalog by `npm start`, which then also creates a demo client on an empty
     * database. 0 disables both. Default 300, and 0 in production (docs/operations.md#safe-production-defaults).
     */
    DEMO_PRODUCTS: int(0, 100_000).optional(),
  },
  (e, common) => ({ products: e.DEMO_PRODUCTS ?? (common.production ? 0 : 300) }),
);

const SECTIONS = {
  process: processConfig,
  log: logConfig,
  demo: demoConfig,
  http: httpConfig,
  database: databaseConfig,
  sharedState: sharedStateConfig,
  blobs: blobsConfig,
  telemetry: telemetryConfig,
  graphql: graphqlConfig,
  auth: authConfig,
  accounts: accountsConfig,
  limits: limitsConfig,
  catalog: catalogConfig,
  billing: billingConfig,
  images: imagesConfig,
  webhooks: webhooksConfig,
  admin: adminConfig,
  mail: mailConfig,
  people: peopleConfig,
};
type Sections = typeof SECTIONS;

export type Config = { env: NodeEnv; production: boolean; dataDir: string } & {
  [K in keyof Sections]: SectionValue<Sections[K]>;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const shape: Record<string, z.ZodType> = { ...COMMON };
for (const s of Object.values(SECTIONS)) {
  for (const key of Object.keys(s.env)) {
    // Each variable has one owner: a second would read it with other rules.
    if (key in shape) throw new Error(`config: ${key} is claimed by two sections`);
    shape[key] = (s.env as Record<string, z.ZodType>)[key];
  }
}
const schema = z.object(shape);

/** Parses an environment (default: process.env). Throws ConfigError listing every problem. Pure: writes nothing. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const values = parsed.data as Record<string, unknown>;
  const nodeEnv = values.NODE_ENV as NodeEnv;
  const common: CommonConfig = {
    env: nodeEnv,
    production: nodeEnv === 'production',
    dataDir: path.resolve(values.DATA_DIR as string),
  };
  const problems: string[] = [];
  const built: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(SECTIONS))
    built[name] = (s.build as (v: unknown, c: CommonConfig, p: string[]) => unknown)(values, common, problems);
  // docs/console.md#e-mail: sign-up links cannot reach anyone in production without SMTP.
  const people = built.people as Config['people'];
  if (common.production && people.signup === 'open' && !(built.mail as Config['mail']).smtpUrl)
    problems.push('SIGNUP=open in production needs SMTP_URL: set SMTP_URL, or SIGNUP=invite or off');
  if (problems.length) throw new ConfigError(problems);
  return { ...common, ...built } as Config;
}
