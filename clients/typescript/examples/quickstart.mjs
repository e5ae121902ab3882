// Quick start: look a product up, see what it cost, walk the free listing.
//   KC_BASE_URL=https://api.example.org KC_CLIENT_ID=cl_… KC_API_KEY=kc_live_… node examples/quickstart.mjs [barcode]
import { KosherCatalog, KosherCatalogError } from '@kosher-catalog/client';

const kc = new KosherCatalog({
  baseUrl: process.env.KC_BASE_URL ?? 'http://127.0.0.1:3000',
  clientId: process.env.KC_CLIENT_ID ?? '',
  apiKey: process.env.KC_API_KEY ?? '',
});
const barcode = process.argv[2] ?? '017000161563';

try {
  // Billed: you pay for the scopes you ask for (here the product metadata and the front image URL).
  const { data, bill } = await kc.getProduct(barcode, { include: ['product_meta', 'images'], variants: ['front'] });
  console.log(`${data.product_meta?.brand} — ${data.product_meta?.product_name}`);
  console.log(`front image (one-shot URL, 15 min): ${data.images?.front ?? 'none'}`);
  console.log(`charged ${bill.creditsDebited} credits, ${bill.creditsRemaining} left (request ${bill.requestId})`);

  // Free: the catalog listing, every page followed for you.
  let n = 0;
  for await (const item of kc.iterateProducts({ per_page: 100 }))
    if (++n <= 3) console.log(`  ${item.barcode} ${item.product_name}`);
  console.log(`${n} products in the catalog`);
} catch (e) {
  // Switch on e.code (the API's stable error field); e.requestId is what support asks for.
  if (e instanceof KosherCatalogError) console.error(`${e.code} (${e.status}): ${e.message} [${e.requestId}]`);
  else throw e;
  process.exitCode = 1;
}
