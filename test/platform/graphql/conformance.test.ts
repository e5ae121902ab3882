// The GraphQL-over-HTTP server audit of the graphql-http package against /graphql: every MUST passes.
// (SHOULD/MAY audits run too; they are reported, not required.)

import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

describe('graphql-http server audit', () => {
  for (const audit of serverAudits({ url: () => `${app.url}/graphql` })) {
    it(audit.name, async () => {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST')) expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
      else expect(['ok', 'warn', 'error']).toContain(result.status);
    });
  }
});
