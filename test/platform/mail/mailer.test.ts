// The development fallback of the mailer (docs/console.md#e-mail): without SMTP_URL, outside production, a
// message goes to DATA_DIR/mail/ as a .eml file and is reported as not delivered; in production it is refused.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../../src/platform/mail/mailer.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('mailer without SMTP_URL', () => {
  it('writes the message to DATA_DIR/mail outside production', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'kc-mail-'));
    dirs.push(base);
    const dir = path.join(base, 'mail');
    const m = createMailer(
      { smtpUrl: null, from: 'KC <no-reply@localhost>', dir, production: false },
      pino({ level: 'silent' }),
    );
    expect(
      await m.send({ to: 'a@example.test', subject: 'Hi', text: 'link: http://x/console/verify?token=abc' }),
    ).toEqual({
      delivered: false,
    });
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const eml = await readFile(path.join(dir, files[0]), 'utf8');
    expect(eml).toContain('To: a@example.test');
    expect(eml).toContain('/console/verify?token=abc');
  });

  it('refuses to send in production', async () => {
    const m = createMailer(
      { smtpUrl: null, from: 'x <y@z>', dir: '/nonexistent', production: true },
      pino({ level: 'silent' }),
    );
    await expect(m.send({ to: 'a@example.test', subject: 'Hi', text: 'x' })).rejects.toThrow(/SMTP_URL/);
  });
});
