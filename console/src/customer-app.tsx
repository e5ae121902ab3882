// The customer console: sign-up and sign-in until there is a session, then the account's pages.
import { gql } from './api.ts';
import { PricingQuery } from './pages/pricing.ts';
import { credits, Section, Table, useLoad } from './ui.tsx';

export function CustomerApp(_props: { path: string }) {
  const pricing = useLoad(() => gql(PricingQuery));
  return (
    <>
      <header class="top">
        <a class="brand" href="/console">
          Kosher catalog console
        </a>
      </header>
      <main id="main">
        <Section title="Sign in" loaded={pricing}>
          {(d) => (
            <Table
              caption={`Prices (${d.pricing.currency})`}
              head={['Action', 'Credits']}
              rows={d.pricing.actions.map((a) => [a.action, credits(a.credits)])}
            />
          )}
        </Section>
      </main>
    </>
  );
}
