import { describe, expect, it } from 'vitest';
import { createSql } from '../../../src/platform/db/client.ts';
import { checkServerSettings, settingsWarnings } from '../../../src/platform/db/server-settings.ts';

describe('PostgreSQL settings checked at start', () => {
  it('warns when autovacuum or track_counts is off, and only then', () => {
    const rows = (autovacuum: string, track_counts: string) => [
      { name: 'autovacuum', setting: autovacuum },
      { name: 'track_counts', setting: track_counts },
    ];
    expect(settingsWarnings(rows('on', 'on'))).toEqual([]);
    expect(settingsWarnings(rows('off', 'on'))).toEqual([expect.stringMatching(/autovacuum.*ANALYZE/)]);
    expect(settingsWarnings(rows('on', 'off'))).toHaveLength(1);
  });

  it("reads the server's own settings", async () => {
    const sql = createSql({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', max: 1 });
    try {
      const [{ autovacuum }] = await sql<{ autovacuum: string }[]>`select current_setting('autovacuum') as autovacuum`;
      const warnings = await checkServerSettings(sql);
      expect(warnings.length).toBe(autovacuum === 'off' ? 1 : 0);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
