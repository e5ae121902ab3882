// A browser of the customer console for server tests (docs/console.md): one cookie jar and the CSRF token of its
// session, GraphQL over HTTP against a running app. Sign-up goes through the real mutation; the verification link
// is read from the SMTP sink when there is one (SMTP_URL), else from the mutation's `devLink`.
import { expect } from 'vitest';
import { call } from './http.ts';
import type { SmtpSink } from './smtp-sink.ts';

export interface GqlBody {
  // Tests inspect arbitrary shapes.
  data: any;
  errors?: { message: string; extensions: { code: string } }[];
}

export const SESSION = 'csrfToken accountId role expiresAt user { userId email emailVerified }';
export const PASSWORD = 'a long enough passphrase 42';
let n = 0;
/** A fresh e-mail address. */
export const email = () => `person${++n}.${process.pid}.${Date.now()}@example.test`;

export class ConsoleClient {
  cookie = '';
  csrf = '';
  constructor(readonly url: string) {}

  /** One GraphQL request: a document (`query`) or a persisted id (`documentId`). */
  async send(
    payload: { query?: string; documentId?: string; variables?: Record<string, unknown> },
    opts: { csrf?: boolean; bearer?: string } = {},
  ): Promise<GqlBody> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (opts.csrf !== false && this.csrf) headers['x-csrf-token'] = this.csrf;
    if (opts.bearer) headers.authorization = `Bearer ${opts.bearer}`;
    const res = await call(this.url, '/graphql', { headers, body: { variables: {}, ...payload } });
    const set = res.headers.get('set-cookie');
    if (set) {
      const [pair] = set.split(';');
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    return res.body as GqlBody;
  }

  gql(query: string, variables: Record<string, unknown> = {}, opts: { csrf?: boolean; bearer?: string } = {}) {
    return this.send({ query, variables }, opts);
  }

  async ok(query: string, variables: Record<string, unknown> = {}) {
    const b = await this.gql(query, variables);
    expect(b.errors, JSON.stringify(b.errors)).toBeUndefined();
    return b.data;
  }

  async code(query: string, variables: Record<string, unknown> = {}, opts = {}) {
    const b = await this.gql(query, variables, opts);
    return b.errors?.[0]?.extensions.code;
  }

  /** Signs up, verifies the address (mail through `smtp`, else the devLink) and keeps the session. */
  async signUp(opts: { smtp?: SmtpSink; address?: string } = {}) {
    const address = opts.address ?? email();
    const out = await this.ok(
      'mutation($e: String!, $p: String!) { consoleSignUp(email: $e, password: $p, accountName: "Shop") { devLink } }',
      { e: address, p: PASSWORD },
    );
    const link = opts.smtp ? await opts.smtp.link(address, 'verify') : out.consoleSignUp.devLink;
    const token = new URL(link).searchParams.get('token');
    const s = (await this.ok(`mutation($t: String!) { consoleVerifyEmail(token: $t) { ${SESSION} } }`, { t: token }))
      .consoleVerifyEmail;
    this.csrf = s.csrfToken;
    return { address, session: s };
  }

  /** Signs in with a password; keeps the session. */
  async signIn(address: string, password = PASSWORD) {
    const s = (
      await this.ok(`mutation($e: String!, $p: String!) { consoleSignIn(email: $e, password: $p) { ${SESSION} } }`, {
        e: address,
        p: password,
      })
    ).consoleSignIn;
    this.csrf = s.csrfToken;
    return s;
  }

  /** The session as the server sees it now (null when it has ended). */
  async session() {
    return (await this.ok(`{ consoleSession { ${SESSION} } }`)).consoleSession;
  }

  /** The account's API client of one mode. */
  async client(mode: 'LIVE' | 'TEST'): Promise<{ clientId: string }> {
    const all = (await this.ok('{ consoleApiClients { clientId mode } }')).consoleApiClients;
    return all.find((c: { mode: string }) => c.mode === mode);
  }
}
