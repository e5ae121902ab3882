// A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps every message it receives: console tests
// send mail through it via SMTP_URL and read the links out of what arrived.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  url: string;
  messages: { to: string[]; raw: string }[];
  /** The first link of the newest message to `to` whose path contains `page`; waits up to 10 s for it. */
  link(to: string, page: string): Promise<string>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: SmtpSink['messages'] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1024 * 1024,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async link(to, page) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        for (const m of [...messages].reverse()) {
          if (!m.to.includes(to.toLowerCase())) continue;
          // Quoted-printable bodies break long lines with "=\r\n" and encode "=" as "=3D".
          const body = m.raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
          const found = body.match(new RegExp(`https?://[^\\s]*/console/${page}\\?token=[A-Za-z0-9_-]+`));
          if (found) return found[0];
        }
        if (Date.now() > deadline) throw new Error(`no ${page} mail to ${to}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
