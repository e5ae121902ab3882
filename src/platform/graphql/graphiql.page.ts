// GraphiQL for browsers at GET /graphql, self-hosted: every asset is inlined by @graphql-yoga/render-graphiql,
// so the page works with no internet. The headers editor starts with the bearer header to fill in, and the
// tabs hold example operations (docs/graphql.md), their variables prefilled with the documentation's sample barcode
// (docs/guides/getting-started.md: it is in the demo catalog and the sandbox), so the first run needs only a token. The ~9 MB page is rendered once per options and cached.
// The renderer module is imported on the first page asked for, not at start: its inlined bundle is ~29 MB of
// heap (source text plus the string), which a process with GraphiQL off (production default) never needs
// (docs/operations.md#memory).
import type { GraphiQLOptions } from 'graphql-yoga';

const HOWTO = `# Kosher catalog GraphQL API. Selecting a field is what you pay for (docs/graphql.md).
# 1. Get a token: POST /api/v1/auth/token {"client_id": "…", "api_key": "…"} (or OAuth2 client_credentials).
# 2. Put it into the Headers tab below: {"Authorization": "Bearer <access_token>"}.
# 3. Run an operation. extensions.billing in the answer shows what it cost. REST reference: /docs
`;

/** The guides' sample barcode: the first product of `npm start`'s demo catalog and in the test-mode sandbox. */
const SAMPLE_BARCODE = '017000161563';
const vars = (v: Record<string, unknown>) => JSON.stringify(v, null, 2);

const EXAMPLES: { title: string; query: string; variables: string }[] = [
  {
    title: 'Single product',
    query: `${HOWTO}
query SingleProduct($barcode: Barcode!) {
  product(barcode: $barcode) {
    barcode
    productMeta { brand productName netWeight bracha kosherForPassover hechshers { symbol org dairyMeatPareve } }
    images { front(size: SMALL, format: WEBP) }
  }
}`,
    variables: vars({ barcode: SAMPLE_BARCODE }),
  },
  {
    title: 'Products',
    query: `query Products($barcodes: [Barcode!]!) {
  products(barcodes: $barcodes) { barcode productMeta { brand productName } }
}`,
    variables: vars({ barcodes: [SAMPLE_BARCODE] }),
  },
  {
    title: 'Catalog (free)',
    query: `query Catalog {
  catalog(first: 10) { edges { node { barcode availableVariants } } pageInfo { hasNextPage endCursor } }
}`,
    variables: '{}',
  },
  {
    title: 'Price quote',
    query: `# Send the header X-Price-Quote: 1 to price an operation without paying (no data comes back).
query Quote($barcode: Barcode!) {
  product(barcode: $barcode) { productMeta { brand } images { front back } }
}`,
    variables: vars({ barcode: SAMPLE_BARCODE }),
  },
];

const HEADERS = JSON.stringify({ Authorization: 'Bearer <access_token from POST /api/v1/auth/token>' }, null, 2);

// YogaGraphiQL also takes `variables` (its GraphiQL's `initialVariables`), which yoga's type leaves out: GraphiQL 5
// fills the first tab's variables editor from it alone, never from defaultTabs[0].variables.
export const graphiqlOptions: GraphiQLOptions & { variables: string } = {
  title: 'Kosher catalog API — GraphiQL',
  headers: HEADERS,
  // A browser with no saved tabs starts on the single-product example, its variables shown and filled in.
  defaultQuery: EXAMPLES[0].query,
  variables: EXAMPLES[0].variables,
  defaultEditorToolsVisibility: 'variables',
  defaultTabs: EXAMPLES.map((e) => ({ query: e.query, variables: e.variables, headers: HEADERS })),
};

let cached: { key: string; page: Promise<string> } | null = null;

/** yoga's renderGraphiQL hook, memoised by its options (yoga passes the same ones on every request). */
export function renderCachedGraphiQL(options?: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options ?? {});
  if (cached?.key !== key) {
    const page = import('@graphql-yoga/render-graphiql').then((m) => m.renderGraphiQL(options));
    // A failed import is not remembered: the next page view tries again.
    page.catch(() => {
      if (cached?.page === page) cached = null;
    });
    cached = { key, page };
  }
  return cached.page;
}
