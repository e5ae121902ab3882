// API clients: create (test or live; name, IP allowlist, brand scope, expiry), the key shown once with a ready
// curl line, rotate with overlap or retire at once, revoke sessions, disable; last use and key hint per client.
// Roles that may not manage keys (billing, viewer) see the list without the controls; the server refuses anyway.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import type { ConsoleClientMode } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { useLocation } from '../router.ts';
import { can, type Session } from '../session.ts';
import { ErrorNote, Field, formValues, Notice, Section, Select, Table, useAction, useLoad, when } from '../ui.tsx';

const Clients = graphql(`
  query ConsoleApiClients {
    consoleApiClients {
      clientId
      name
      mode
      tier
      enabled
      ipAllowlist
      scopeBrands
      expiresAt
      createdAt
      lastUsedAt
      keyHint
    }
  }
`);

const Create = graphql(`
  mutation ConsoleCreateApiClient($input: ConsoleApiClientInput!) {
    consoleCreateApiClient(input: $input) {
      apiKey
      curl
      client {
        clientId
        name
      }
    }
  }
`);

const Rotate = graphql(`
  mutation ConsoleRotateApiKey($clientId: ID!, $retirePreviousNow: Boolean) {
    consoleRotateApiKey(clientId: $clientId, retirePreviousNow: $retirePreviousNow) {
      apiKey
      curl
      previousKeyValidUntil
      client {
        clientId
        name
      }
    }
  }
`);

const Revoke = graphql(`
  mutation ConsoleRevokeApiClientSessions($clientId: ID!) {
    consoleRevokeApiClientSessions(clientId: $clientId) {
      clientId
    }
  }
`);

const Update = graphql(`
  mutation ConsoleUpdateApiClient($clientId: ID!, $patch: ConsoleApiClientPatch!) {
    consoleUpdateApiClient(clientId: $clientId, patch: $patch) {
      clientId
      enabled
    }
  }
`);

interface Issued {
  name: string;
  clientId: string;
  apiKey: string;
  curl: string;
  previousKeyValidUntil?: string | null;
}

const list = (s: string | undefined) =>
  (s ?? '')
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export function ClientsPage({ session }: { session: Session }) {
  const { query } = useLocation();
  const loaded = useLoad(() => gql(Clients));
  const [issued, setIssued] = useState<Issued | null>(null);
  const manage = can.keys(session.role) && session.user.emailVerified;
  const create = useAction(async (v: Record<string, string>) => {
    const scope = list(v.scopeBrands);
    const d = await gql(Create, {
      input: {
        name: v.name,
        mode: v.mode as ConsoleClientMode,
        ipAllowlist: list(v.ipAllowlist),
        scopeBrands: scope.length > 0 ? scope : null,
        expiresAt: v.expiresAt ? new Date(`${v.expiresAt}T23:59:59Z`).toISOString() : null,
      },
    });
    const k = d.consoleCreateApiClient;
    setIssued({ name: k.client.name, clientId: k.client.clientId, apiKey: k.apiKey, curl: k.curl });
    loaded.reload();
  });
  const act = useAction(async (what: 'rotate' | 'retire' | 'revoke' | 'disable' | 'enable', clientId: string) => {
    if (what === 'rotate' || what === 'retire') {
      const k = (await gql(Rotate, { clientId, retirePreviousNow: what === 'retire' })).consoleRotateApiKey;
      setIssued({ ...k, name: k.client.name, clientId: k.client.clientId });
    } else if (what === 'revoke') await gql(Revoke, { clientId });
    else await gql(Update, { clientId, patch: { enabled: what === 'enable' } });
    loaded.reload();
  });
  return (
    <Section title="API clients" loaded={loaded}>
      {(d) => (
        <>
          {query.get('welcome') ? (
            <Notice>Your e-mail is verified. Create a live key below and make your first call.</Notice>
          ) : null}
          {issued ? <IssuedKey issued={issued} onDone={() => setIssued(null)} /> : null}
          <Table
            caption="Your API clients"
            head={['Name', 'Client id', 'Mode', 'Key', 'Last used', 'Status', ...(manage ? ['Actions'] : [])]}
            rows={d.consoleApiClients.map((c) => [
              c.name,
              <code key="id">{c.clientId}</code>,
              c.mode.toLowerCase(),
              c.keyHint ? <code key="hint">{c.keyHint}</code> : 'no key yet',
              when(c.lastUsedAt),
              c.enabled ? (c.expiresAt ? `enabled until ${when(c.expiresAt)}` : 'enabled') : 'disabled',
              ...(manage
                ? [
                    <div class="actions" key="a">
                      <button type="button" onClick={() => act.act('rotate', c.clientId)} disabled={act.busy}>
                        {c.keyHint ? 'Rotate key' : 'Create key'}
                        <span class="skip"> for {c.name}</span>
                      </button>
                      {c.keyHint ? (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => act.act('retire', c.clientId)}
                          disabled={act.busy}
                        >
                          Rotate and retire old key now<span class="skip"> for {c.name}</span>
                        </button>
                      ) : null}
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => act.act('revoke', c.clientId)}
                        disabled={act.busy}
                      >
                        Revoke sessions<span class="skip"> of {c.name}</span>
                      </button>
                      <button
                        type="button"
                        class={c.enabled ? 'danger' : 'secondary'}
                        onClick={() => act.act(c.enabled ? 'disable' : 'enable', c.clientId)}
                        disabled={act.busy}
                      >
                        {c.enabled ? 'Disable' : 'Enable'}
                        <span class="skip"> {c.name}</span>
                      </button>
                    </div>,
                  ]
                : []),
            ])}
            empty="No API clients yet."
          />
          <ErrorNote error={act.error} />
          {manage ? (
            <form class="stack" onSubmit={(e) => create.act(formValues(e))} aria-labelledby="new-client">
              <h2 id="new-client">New API client</h2>
              <div class="row">
                <Field label="Name" name="name" required maxLength={100} />
                <Select
                  label="Mode"
                  name="mode"
                  options={[
                    ['LIVE', 'live (spends credits)'],
                    ['TEST', 'test (sandbox, free)'],
                  ]}
                />
              </div>
              <div class="row">
                <Field
                  label="IP allowlist"
                  name="ipAllowlist"
                  maxLength={2000}
                  placeholder="203.0.113.0/24, 198.51.100.7"
                  hint="Optional: addresses or CIDR ranges, separated by commas."
                />
                <Field
                  label="Brand scope"
                  name="scopeBrands"
                  maxLength={2000}
                  hint="Optional: only these brands (comma separated)."
                />
                <Field label="Expires on" name="expiresAt" type="date" hint="Optional (UTC end of day)." />
              </div>
              <ErrorNote error={create.error} />
              <button type="submit" disabled={create.busy}>
                Create client and key
              </button>
            </form>
          ) : (
            <p class="muted">
              {can.keys(session.role)
                ? 'Verify your e-mail address to create keys.'
                : `Your role (${session.role.toLowerCase()}) can read API clients but not change them.`}
            </p>
          )}
        </>
      )}
    </Section>
  );
}

function IssuedKey({ issued, onDone }: { issued: Issued; onDone: () => void }) {
  return (
    <section class="secret" aria-labelledby="issued-title">
      <h2 id="issued-title">New key for {issued.name}</h2>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Client id <code>{issued.clientId}</code>
        {issued.previousKeyValidUntil
          ? `; the previous key keeps working until ${when(issued.previousKeyValidUntil)}`
          : ''}
        .
      </p>
      <p>
        API key: <code data-testid="api-key">{issued.apiKey}</code>
      </p>
      <p>Your first call, ready to paste:</p>
      <pre data-testid="curl">{issued.curl}</pre>
      <button type="button" class="secondary" onClick={onDone}>
        I have saved the key
      </button>
    </section>
  );
}
