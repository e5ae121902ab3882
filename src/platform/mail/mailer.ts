// One outgoing mail API for every module (docs/console.md#e-mail). With SMTP_URL messages go out through
// nodemailer's SMTP transport; without it (never in production, the configuration refuses that) each message is
// written to the log and as a .eml file under DATA_DIR/mail/, and the caller gets `delivered: false` so the
// console can show the link in its development banner.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { AppError } from '../../kernel/errors.ts';
import { newUlid } from '../../kernel/ids.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { MailConfig } from './mail.config.ts';

interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** true: handed to SMTP; false: written by the development fallback. */
  send(m: MailMessage): Promise<{ delivered: boolean }>;
  close(): void;
}

export function createMailer(config: MailConfig, log: Logger): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      async send(m) {
        await transport.sendMail({ from: config.from, to: m.to, subject: m.subject, text: m.text });
        return { delivered: true };
      },
      close: () => transport.close(),
    };
  }
  if (config.production) {
    return {
      async send() {
        throw new AppError('service_unavailable', 'E-mail is not configured on this server (SMTP_URL).');
      },
      close() {},
    };
  }
  return {
    async send(m) {
      const id = newUlid();
      const eml = [
        `From: ${config.from}`,
        `To: ${m.to}`,
        `Subject: ${m.subject}`,
        `Message-ID: <${id}@localhost>`,
        '',
        m.text,
      ].join('\r\n');
      await mkdir(config.dir, { recursive: true });
      const file = path.join(config.dir, `${id}.eml`);
      await writeFile(file, eml, { mode: 0o600 });
      log.info({ mail_to: m.to, subject: m.subject, file, body: m.text }, 'mail (development: not sent, no SMTP_URL)');
      return { delivered: false };
    },
    close() {},
  };
}
