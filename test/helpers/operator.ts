// An operator of the operator console over HTTP (docs/console.md#operators): made with the admin CLI, signed in
// with password + TOTP on /admin/graphql, then sending operations with its cookie and CSRF token.
import { crc32 } from 'node:zlib';
import { expect } from 'vitest';
import { base32Decode, hotp } from '../../src/modules/operators/totp.ts';
import { cliJson, runNpm } from './cli.ts';
import { call } from './http.ts';

export const OPERATOR_PASSWORD = 'operator passphrase 9 long';

export interface GqlAnswer {
  status: number;
  data: any;
  errors?: { message: string; extensions: { code: string } }[];
}

export class OperatorSession {
  cookie = '';
  csrf = '';
  email = '';
  constructor(
    readonly base: string,
    readonly path = '/admin/graphql',
  ) {}

  async gql(query: string, variables: Record<string, unknown> = {}): Promise<GqlAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    const res = await call(this.base, this.path, { headers, body: { query, variables } });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const body = res.body as { data?: unknown; errors?: GqlAnswer['errors'] };
    return { status: res.status, data: body.data ?? null, errors: body.errors };
  }

  async ok(query: string, variables: Record<string, unknown> = {}) {
    const b = await this.gql(query, variables);
    expect(b.errors, JSON.stringify(b.errors)).toBeUndefined();
    return b.data;
  }

  async error(query: string, variables: Record<string, unknown> = {}) {
    const b = await this.gql(query, variables);
    expect(b.errors, JSON.stringify(b.data)).toBeDefined();
    return { code: b.errors![0].extensions.code, message: b.errors![0].message, status: b.status };
  }
}

/** Creates an operator with the admin CLI and signs it in on `base` (the admin listener, if any). */
export async function signedInOperator(base: string, env: Record<string, string>): Promise<OperatorSession> {
  const email = `op.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.test`;
  const made = cliJson(
    await runNpm(['admin', '--', 'operator', 'create', '--email', email, '--password', OPERATOR_PASSWORD], {
      ...env,
      LOG_LEVEL: 'warn',
    }),
  );
  const op = new OperatorSession(base);
  const totp = hotp(base32Decode(made.totp_secret), Math.floor(Date.now() / 30_000));
  const s = await op.ok(
    'mutation($e: String!, $p: String!, $t: String!) { operatorSignIn(email: $e, password: $p, totp: $t) { csrfToken } }',
    { e: email, p: OPERATOR_PASSWORD, t: totp },
  );
  op.csrf = s.operatorSignIn.csrfToken;
  op.email = email;
  return op;
}

/** A small PNG whose header claims 8000 × 7000 pixels (the limit reads the header before decoding). */
export function oversizedPng(png: Buffer): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(8000, 16);
  out.writeUInt32BE(7000, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}
