// Outgoing e-mail (docs/console.md#e-mail): SMTP when SMTP_URL is set; otherwise, outside production, the
// development fallback (the log and DATA_DIR/mail/).
import { z } from 'zod';
import { configSection, type SectionValue } from '../config/section.ts';

export const mailConfig = configSection(
  {
    /** smtp://user:pass@host:587 or smtps://…:465 (nodemailer's URL form). */
    SMTP_URL: z.string().url().optional(),
    /** The From address of every message. */
    MAIL_FROM: z.string().trim().min(3).max(254).default('Kosher Catalog <no-reply@localhost>'),
  },
  (e, common) => ({
    smtpUrl: e.SMTP_URL ?? null,
    from: e.MAIL_FROM,
    dir: `${common.dataDir}/mail`,
    production: common.production,
  }),
);
export type MailConfig = SectionValue<typeof mailConfig>;
