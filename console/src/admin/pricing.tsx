// Operator: per-action prices (every node picks them up within seconds) and the credit packages customers buy.
import { useState } from 'preact/hooks';
import { gql } from '../api.ts';
import { graphql } from '../gql/index.ts';
import { credits, ErrorNote, Field, formValues, Notice, Section, Table, useAction, useLoad, when } from '../ui.tsx';

const Prices = graphql(`
  query OperatorPricing {
    pricing {
      currency
      updatedAt
      actions {
        action
        credits
      }
    }
    operatorPackages {
      packageId
      credits
      price
      currency
      active
    }
  }
`);

const SetPrices = graphql(`
  mutation OperatorSetPrices($prices: [OperatorPriceInput!]!) {
    operatorSetPrices(prices: $prices)
  }
`);

const SavePackage = graphql(`
  mutation OperatorSavePackage($input: OperatorPackageInput!) {
    operatorSavePackage(input: $input) {
      packageId
    }
  }
`);

export function PricingPage() {
  const loaded = useLoad(() => gql(Prices));
  const [note, setNote] = useState<string | null>(null);
  const prices = useAction(async (v: Record<string, string>) => {
    const list = Object.entries(v).map(([action, c]) => ({ action, credits: Number(c) }));
    const at = (await gql(SetPrices, { prices: list })).operatorSetPrices;
    setNote(`Prices saved (${when(at)}).`);
    loaded.reload();
  });
  const pkg = useAction(async (v: Record<string, string>) => {
    await gql(SavePackage, {
      input: {
        packageId: v.packageId,
        credits: Number(v.credits),
        price: v.price,
        currency: v.currency,
        active: v.active === 'on',
      },
    });
    setNote(`Package ${v.packageId} saved.`);
    loaded.reload();
  });
  return (
    <Section title="Pricing and packages" loaded={loaded}>
      {(d) => (
        <>
          {note ? <Notice>{note}</Notice> : null}
          <form class="stack" onSubmit={(e) => prices.act(formValues(e))} aria-labelledby="prices-title">
            <h2 id="prices-title">Credits per action</h2>
            <p class="muted">Last changed {when(d.pricing.updatedAt)}. Up to 4 decimals.</p>
            <div class="row">
              {d.pricing.actions.map((a) => (
                <Field
                  key={a.action}
                  label={a.action}
                  name={a.action}
                  value={String(a.credits)}
                  inputMode="decimal"
                  maxLength={20}
                />
              ))}
            </div>
            <ErrorNote error={prices.error} />
            <button type="submit" disabled={prices.busy}>
              Save prices
            </button>
          </form>
          <h2>Credit packages</h2>
          <Table
            caption="Packages (inactive ones are not offered)"
            head={['Package', 'Credits', 'Price', 'Active']}
            rows={d.operatorPackages.map((p) => [
              p.packageId,
              credits(p.credits),
              `${p.price} ${p.currency}`,
              p.active ? 'yes' : 'no',
            ])}
            empty="No packages yet."
          />
          <form class="stack" onSubmit={(e) => pkg.act(formValues(e))} aria-labelledby="pkg-title">
            <h2 id="pkg-title">Add or change a package</h2>
            <div class="row">
              <Field label="Package id" name="packageId" required maxLength={64} hint="Same id changes it." />
              <Field label="Credits" name="credits" required inputMode="decimal" maxLength={20} />
              <Field label="Price" name="price" required inputMode="decimal" maxLength={20} hint="e.g. 49.00" />
              <Field
                label="Currency"
                name="currency"
                required
                value={d.operatorPackages[0]?.currency ?? 'USD'}
                maxLength={3}
                hint="ISO 4217, e.g. USD."
              />
            </div>
            <div class="check">
              <input id="pkg-active" type="checkbox" name="active" checked />
              <label for="pkg-active">Offered to customers</label>
            </div>
            <ErrorNote error={pkg.error} />
            <button type="submit" disabled={pkg.busy}>
              Save package
            </button>
          </form>
        </>
      )}
    </Section>
  );
}
