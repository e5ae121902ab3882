// A real SMTP server on 127.0.0.1 for the console's browser tests: the app sends through SMTP_URL to it, the test
// reads what arrived. Just the commands a sending library uses (no TLS, no auth is offered), and quoted-printable
// and base64 bodies decoded, so a link in a mail reads as the person would click it.
import { createServer, type Server, type Socket } from 'node:net';

interface Mail {
  to: string[];
  raw: string;
  text: string;
}

export interface MailBox {
  url: string;
  /** Waits (bounded) for a mail to `to` whose text matches `re`; returns the first match's text. */
  waitFor(to: string, re: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

const MAX_MAIL = 1024 * 1024;

function decode(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(raw))
    body = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
  if (/content-transfer-encoding:\s*base64/i.test(raw)) {
    const chunks = body.match(/^[A-Za-z0-9+/=\r\n]{40,}$/gm) ?? [];
    body += `\n${chunks.map((c) => Buffer.from(c.replace(/\s/g, ''), 'base64').toString('utf8')).join('\n')}`;
  }
  // The decoded body first: a search finds the link as the person reads it, not its encoded form.
  return `${body}\n${raw}`;
}

export async function startMailBox(): Promise<MailBox> {
  const mails: Mail[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let data: string | null = null;
    let to: string[] = [];
    socket.write('220 127.0.0.1 test SMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) {
            if (buffer.length > MAX_MAIL) socket.destroy();
            return;
          }
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          mails.push({ to, raw: data, text: decode(data.replace(/^\.\./gm, '.')) });
          data = null;
          to = [];
          socket.write('250 OK queued\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-127.0.0.1\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') socket.write('250 127.0.0.1\r\n');
        else if (verb === 'RCPT') {
          to.push((line.match(/<([^>]*)>/)?.[1] ?? '').toLowerCase());
          socket.write('250 OK\r\n');
        } else if (verb === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 OK\r\n'); // MAIL, RSET, NOOP
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    async waitFor(address, re, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        for (const m of mails) {
          const hit = m.to.includes(address.toLowerCase()) ? m.text.match(re) : null;
          if (hit) return hit[0];
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no mail to ${address} matching ${re} within ${timeoutMs} ms (${mails.length} mails arrived)`);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
