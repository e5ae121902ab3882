// POST /admin/v1/sandbox/changes: an operator changes one sandbox product so that test clients' webhooks get an
// event to handle (docs/test-mode.md#webhooks). Body `{}` or `{"barcode": "…"}`.
import { z } from 'zod';
import { parseInput } from '../../kernel/parse-input.ts';
import { readJson } from '../../platform/http/body.ts';
import type { Route } from '../../platform/http/router.ts';
import type { SandboxChange } from './sandbox.repository.ts';

const changeInput = z.strictObject({ barcode: z.string().max(64).optional() });

export function sandboxChangeRoutes(sandbox: { change(barcode?: string): Promise<SandboxChange> }): Route[] {
  return [
    {
      method: 'POST',
      path: '/admin/v1/sandbox/changes',
      access: 'admin',
      async handler({ raw, ctx }) {
        const { barcode } = parseInput(changeInput, await readJson(raw));
        const c = await sandbox.change(barcode);
        ctx.log.info({ gtin14: c.gtin14 }, 'sandbox product changed');
        return {
          status: 201,
          json: {
            barcode: c.barcode,
            gtin14: c.gtin14,
            changed_fields: ['product_description'],
            updated_at: c.updated_at,
          },
        };
      },
    },
  ];
}
