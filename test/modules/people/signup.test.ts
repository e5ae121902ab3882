// Who may create an account (docs/console.md#operations, SIGNUP): `invite` refuses sign-up and lets a person in
// only through an owner's invitation; `off` refuses sign-up. Two nodes of one deployment: one with sign-up open
// makes the owner an invite-only deployment would have, the other runs the mode under test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';
import { ConsoleClient, email, PASSWORD, SESSION } from '../../helpers/console-client.ts';
import { type Deployment, startNodes } from '../../helpers/nodes.ts';

let d: Deployment<TestApp>;
let open: TestApp;
let invite: TestApp;
let off: TestApp;
beforeAll(async () => {
  d = await startNodes(1, { env: { SIGNUP: 'invite' } });
  [invite] = d.nodes;
  open = await d.add({ SIGNUP: 'open' });
  off = await d.add({ SIGNUP: 'off' });
});
afterAll(async () => {
  await d?.close();
});

const SIGN_UP =
  'mutation($e: String!, $p: String!) { consoleSignUp(email: $e, password: $p, accountName: "Shop") { devLink } }';
const ACCEPT = `mutation($t: String!, $p: String!) { consoleAcceptInvitation(token: $t, password: $p) { ${SESSION} } }`;

async function refused(app: TestApp, message: RegExp) {
  const c = new ConsoleClient(app.url);
  const address = email();
  const b = await c.gql(SIGN_UP, { e: address, p: PASSWORD });
  expect(b.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  expect(b.errors?.[0]?.message).toMatch(message);
  // Nothing was made: no login exists for that address.
  const [n] = await app.db.sql<{ n: number }[]>`select count(*)::int as n from console_users where email = ${address}`;
  expect(n.n).toBe(0);
}

describe('SIGNUP', () => {
  it('invite: sign-up is refused; an invitation lets the person in, once', async () => {
    await refused(invite, /invitation/);

    const owner = new ConsoleClient(open.url);
    await owner.signUp();
    const ownerAccount = (await owner.session()).accountId;
    // The owner now works on the invite-only node (same deployment, same session).
    const there = Object.assign(new ConsoleClient(invite.url), { cookie: owner.cookie, csrf: owner.csrf });
    const address = email();
    const sent = (
      await there.ok('mutation($e: String!) { consoleInvite(email: $e, role: DEVELOPER) { devLink } }', { e: address })
    ).consoleInvite;
    const token = new URL(sent.devLink).searchParams.get('token');

    const joined = new ConsoleClient(invite.url);
    const s = (await joined.ok(ACCEPT, { t: token, p: PASSWORD })).consoleAcceptInvitation;
    expect(s).toMatchObject({
      accountId: ownerAccount,
      role: 'DEVELOPER',
      user: { email: address, emailVerified: true },
    });
    joined.csrf = s.csrfToken;
    expect((await joined.session()).accountId).toBe(ownerAccount);
    // The invited address still cannot sign up an account of its own, and the link is spent.
    expect(await new ConsoleClient(invite.url).code(SIGN_UP, { e: email(), p: PASSWORD })).toBe('FORBIDDEN');
    expect(await new ConsoleClient(invite.url).code(ACCEPT, { t: token, p: PASSWORD })).toBe('BAD_REQUEST');
  });

  it('off: sign-up is refused; people who have a login still sign in', async () => {
    await refused(off, /off/);
    const c = new ConsoleClient(open.url);
    const { address } = await c.signUp();
    const back = new ConsoleClient(off.url);
    expect((await back.signIn(address)).user.email).toBe(address);
  });
});
