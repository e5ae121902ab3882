// PUT /admin/v1/products/{barcode}: upsert one product's product_meta (docs/rest.md#get-a-product shape). The body is the
// whole product_meta (a PUT replaces it), checked by product-meta.input.ts.
import { AppError } from '../../kernel/errors.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import type { ProductAdminService } from './product-admin.service.ts';
import { parseProductMeta } from './product-meta.input.ts';

export function adminProductRoutes(products: ProductAdminService): Route[] {
  return [
    {
      method: 'PUT',
      path: '/admin/v1/products/:barcode',
      access: 'admin',
      async handler({ raw, params, ctx }) {
        products.gtin14(params.barcode); // an invalid path barcode is invalid_barcode whatever the body says
        const { barcode: inBody, meta } = parseProductMeta(await readJson(raw));
        if (inBody !== undefined && inBody !== params.barcode) {
          throw new AppError('bad_request', 'barcode: must equal the barcode in the path (or be omitted)');
        }
        const r = await products.upsert(params.barcode, meta);
        ctx.log.info({ gtin14: r.gtin14, outcome: r.outcome }, 'product upserted');
        return {
          status: r.outcome === 'inserted' ? 201 : 200,
          json: { barcode: params.barcode, gtin14: r.gtin14, outcome: r.outcome },
        };
      },
    },
  ];
}
