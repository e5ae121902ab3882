// Webhooks: subscriptions per API client, their recent deliveries, a test delivery, replay since a time, secret
// rotation (the old secret keeps signing during the overlap), pause and delete. The secret is shown once.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { can, type Session } from '../session.ts';
import { ErrorNote, Field, formValues, Notice, Section, Select, Table, useAction, useLoad, when } from '../ui.tsx';

const Webhooks = graphql(`
  query ConsoleWebhooks {
    consoleApiClients {
      clientId
      name
    }
    consoleWebhooks {
      id
      clientId
      url
      events
      enabled
      disabledReason
      failingSince
      createdAt
      deliveries(limit: 10) {
        deliveryId
        event
        kind
        status
        attempts
        lastStatusCode
        lastError
        createdAt
      }
    }
  }
`);

const Create = graphql(`
  mutation ConsoleCreateWebhook($clientId: ID!, $url: String!, $events: [String!]!) {
    consoleCreateWebhook(clientId: $clientId, url: $url, events: $events) {
      secret
      webhook {
        id
        url
      }
    }
  }
`);

const Rotate = graphql(`
  mutation ConsoleRotateWebhookSecret($id: ID!) {
    consoleRotateWebhookSecret(id: $id) {
      secret
      previousSecretValidUntil
      webhook {
        id
        url
      }
    }
  }
`);

const Test = graphql(`
  mutation ConsoleTestWebhook($id: ID!) {
    consoleTestWebhook(id: $id) {
      deliveryId
      status
    }
  }
`);

const Replay = graphql(`
  mutation ConsoleReplayWebhook($id: ID!, $since: DateTime!) {
    consoleReplayWebhook(id: $id, since: $since)
  }
`);

const Update = graphql(`
  mutation ConsoleUpdateWebhook($id: ID!, $enabled: Boolean) {
    consoleUpdateWebhook(id: $id, enabled: $enabled) {
      id
      enabled
    }
  }
`);

const Delete = graphql(`
  mutation ConsoleDeleteWebhook($id: ID!) {
    consoleDeleteWebhook(id: $id)
  }
`);

const EVENTS = 'product.created, product.updated, product.image_added, product.image_replaced, product.image_removed';

export function WebhooksPage({ session }: { session: Session }) {
  const loaded = useLoad(() => gql(Webhooks));
  const manage = can.webhooks(session.role);
  const [secret, setSecret] = useState<{ url: string; secret: string; previousUntil?: string | null } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const create = useAction(async (v: Record<string, string>) => {
    const events = v.events.split(/[\s,]+/).filter(Boolean);
    const w = (await gql(Create, { clientId: v.clientId, url: v.url, events })).consoleCreateWebhook;
    setSecret({ url: w.webhook.url, secret: w.secret });
    loaded.reload();
  });
  const act = useAction(async (what: 'test' | 'rotate' | 'replay' | 'pause' | 'resume' | 'delete', id: string) => {
    setNote(null);
    if (what === 'test') setNote(`Test delivery queued (${(await gql(Test, { id })).consoleTestWebhook.status}).`);
    else if (what === 'rotate') {
      const w = (await gql(Rotate, { id })).consoleRotateWebhookSecret;
      setSecret({ url: w.webhook.url, secret: w.secret, previousUntil: w.previousSecretValidUntil });
    } else if (what === 'replay') {
      const since = new Date(Date.now() - 24 * 3600_000).toISOString();
      setNote(
        `${(await gql(Replay, { id, since })).consoleReplayWebhook} deliveries of the last 24 hours queued again.`,
      );
    } else if (what === 'delete') await gql(Delete, { id });
    else await gql(Update, { id, enabled: what === 'resume' });
    loaded.reload();
  });
  return (
    <Section title="Webhooks" loaded={loaded}>
      {(d) => (
        <>
          {secret ? (
            <section class="secret" aria-labelledby="secret-title">
              <h2 id="secret-title">Signing secret for {secret.url}</h2>
              <p>
                <strong>Copy it now: it is shown only once.</strong>
              </p>
              <pre>{secret.secret}</pre>
              {secret.previousUntil ? (
                <p>
                  Until {when(secret.previousUntil)} every delivery is signed with both the previous secret and this one
                  (two <code>v1,</code> entries in <code>webhook-signature</code>); after that, with this one only.
                </p>
              ) : null}
              <button type="button" class="secondary" onClick={() => setSecret(null)}>
                I have saved the secret
              </button>
            </section>
          ) : null}
          {note ? <Notice>{note}</Notice> : null}
          <ErrorNote error={act.error} />
          {d.consoleWebhooks.length === 0 ? <p class="muted">No subscriptions yet.</p> : null}
          {d.consoleWebhooks.map((w) => (
            <div class="panel" key={w.id}>
              <h2>{w.url}</h2>
              <p>
                Events: {w.events.join(', ')} · Client <code>{w.clientId}</code> ·{' '}
                {w.enabled ? 'active' : `paused${w.disabledReason ? ` (${w.disabledReason})` : ''}`}
                {w.failingSince ? ` · failing since ${when(w.failingSince)}` : ''}
              </p>
              {manage ? (
                <div class="actions">
                  <button type="button" onClick={() => act.act('test', w.id)} disabled={act.busy}>
                    Send test<span class="skip"> to {w.url}</span>
                  </button>
                  <button type="button" class="secondary" onClick={() => act.act('replay', w.id)} disabled={act.busy}>
                    Replay last 24 h<span class="skip"> to {w.url}</span>
                  </button>
                  <button type="button" class="secondary" onClick={() => act.act('rotate', w.id)} disabled={act.busy}>
                    Rotate secret<span class="skip"> of {w.url}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => act.act(w.enabled ? 'pause' : 'resume', w.id)}
                    disabled={act.busy}
                  >
                    {w.enabled ? 'Pause' : 'Resume'}
                    <span class="skip"> {w.url}</span>
                  </button>
                  <button type="button" class="danger" onClick={() => act.act('delete', w.id)} disabled={act.busy}>
                    Delete<span class="skip"> {w.url}</span>
                  </button>
                </div>
              ) : null}
              <Table
                caption={`Recent deliveries to ${w.url}`}
                head={['Created', 'Event', 'Status', 'Attempts', 'Last answer']}
                rows={w.deliveries.map((x) => [
                  when(x.createdAt),
                  x.event,
                  x.status,
                  x.attempts,
                  x.lastStatusCode ? String(x.lastStatusCode) : (x.lastError ?? '—'),
                ])}
                empty="No deliveries yet."
              />
            </div>
          ))}
          {manage && d.consoleApiClients.length > 0 ? (
            <form class="stack" onSubmit={(e) => create.act(formValues(e))} aria-labelledby="new-hook">
              <h2 id="new-hook">New subscription</h2>
              <div class="row">
                <Select
                  label="API client"
                  name="clientId"
                  options={d.consoleApiClients.map((c) => [c.clientId, c.name])}
                />
                <Field label="URL (https)" name="url" type="url" required maxLength={2000} />
                <Field label="Events" name="events" required value={EVENTS} maxLength={500} />
              </div>
              <ErrorNote error={create.error} />
              <button type="submit" disabled={create.busy}>
                Subscribe
              </button>
            </form>
          ) : null}
        </>
      )}
    </Section>
  );
}
