// The console under PERSISTED_OPERATIONS_ONLY=1 (docs/console-web.md#persisted-operations): the console's build
// writes the manifest of its operations, the server registers it whatever PERSISTED_OPERATIONS_FILE says, and the
// console sends ids. Here a person signs up, verifies, reads the overview and creates a key by id alone, while any
// document sent in full (a console one included) is refused, and an id still needs its session and CSRF token.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { ensureConsoleBuilt } from '../../helpers/console-build.ts';
import { ConsoleClient, email, PASSWORD } from '../../helpers/console-client.ts';
import { repoRoot } from '../../helpers/paths.ts';

let app: TestApp;
let ids: Map<string, string>;
beforeAll(async () => {
  ensureConsoleBuilt();
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'console/dist/persisted-documents.json'), 'utf8'));
  // operation name -> id
  ids = new Map(
    Object.entries(manifest as Record<string, string>).map(([id, doc]) => [
      (/^(?:query|mutation)\s+(\w+)/.exec(doc) as RegExpExecArray)[1],
      id,
    ]),
  );
  app = await startTestApp({ env: { SIGNUP: 'open', PERSISTED_OPERATIONS_ONLY: '1' } });
});
afterAll(async () => {
  await app?.close();
});

const id = (name: string) => {
  const v = ids.get(name);
  if (!v) throw new Error(`the console sends no operation ${name}`);
  return v;
};

describe('the console under PERSISTED_OPERATIONS_ONLY', () => {
  it("runs the console's own operations by id, and nothing sent as a document", async () => {
    // The console's manifest is the one in its source (npm run codegen:console), as built.
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'console/src/gql/persisted-documents.json'), 'utf8'))).toEqual(
      Object.fromEntries([...ids.values()].map((k) => [k, expect.any(String)])),
    );
    const c = new ConsoleClient(app.url);
    const address = email();
    const up = await c.send({
      documentId: id('ConsoleSignUp'),
      variables: { email: address, password: PASSWORD, accountName: 'Shop' },
    });
    expect(up.errors).toBeUndefined();
    const token = new URL(up.data.consoleSignUp.devLink).searchParams.get('token');
    const verified = await c.send({ documentId: id('ConsoleVerifyEmail'), variables: { token } });
    expect(verified.errors).toBeUndefined();
    c.csrf = verified.data.consoleVerifyEmail.csrfToken;

    const overview = await c.send({ documentId: id('ConsoleOverview') });
    expect(overview.errors).toBeUndefined();
    expect(overview.data.consoleOverview.rateLimits).toHaveLength(2);

    // A mutation by id still needs the CSRF token.
    const input = { name: 'by id', mode: 'LIVE' };
    const noCsrf = await c.send({ documentId: id('ConsoleCreateApiClient'), variables: { input } }, { csrf: false });
    expect(noCsrf.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const made = await c.send({ documentId: id('ConsoleCreateApiClient'), variables: { input } });
    expect(made.errors).toBeUndefined();
    expect(made.data.consoleCreateApiClient.apiKey).toMatch(/^kc_live_/);

    // Signed out, an id reads no session.
    const stranger = new ConsoleClient(app.url);
    const anon = await stranger.send({ documentId: id('ConsoleApiClients') });
    expect(anon.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');

    // Documents in full are refused, the console's own text included.
    const doc = readFileSync(path.join(repoRoot, 'console/dist/persisted-documents.json'), 'utf8');
    const overviewText = (JSON.parse(doc) as Record<string, string>)[id('ConsoleOverview')];
    for (const query of [overviewText, '{ consoleSession { csrfToken } }', '{ __typename }']) {
      const refused = await c.send({ query });
      expect(refused.errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_ONLY');
    }
  });
});
