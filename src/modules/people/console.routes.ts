// CSV exports of the console (docs/console.md#operations): GET /console/usage.csv and /console/ledger.csv, read
// with the console session cookie (a bearer API token is refused), the same rows as consoleUsage/consoleLedger.

import { unitsToString } from '../../kernel/credits.ts';
import { AppError } from '../../kernel/errors.ts';
import { isCalendarDate } from '../../kernel/input.ts';
import { publicBaseUrl } from '../../platform/http/base-url.ts';
import type { ApiRequest, Route } from '../../platform/http/router.ts';
import type { ConsoleRequest } from './console.views.ts';
import type { ConsoleDataService } from './console-data.service.ts';
import type { PeopleService } from './people.service.ts';

function consoleRequestOf(req: ApiRequest): ConsoleRequest {
  const h = req.headers;
  const secure = (req.raw.socket as { encrypted?: boolean }).encrypted === true;
  return {
    ip: req.ctx.ip,
    origin: publicBaseUrl(h, undefined, secure),
    cookie: typeof h.cookie === 'string' ? h.cookie : undefined,
    csrf: undefined,
    bearer: h.authorization !== undefined,
    secure,
    setCookie: () => {},
  };
}

/** A CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it. */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?[0-9.]+$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: unknown[][]) => `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;

function day(v: string | null, name: string): Date | null {
  if (v === null) return null;
  if (!isCalendarDate(v)) throw new AppError('bad_request', `${name}: a date YYYY-MM-DD.`);
  return new Date(`${v}T00:00:00Z`);
}

const reply = (name: string, body: string) => ({
  status: 200,
  bytes: Buffer.from(body),
  headers: {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${name}"`,
    'Cache-Control': 'no-store',
  },
});

export function consoleRoutes(people: PeopleService, data: ConsoleDataService): Route[] {
  return [
    {
      method: 'GET',
      path: '/console/usage.csv',
      access: 'public',
      query: { from: 'one', to: 'one' },
      handler: async (req) => {
        const m = await people.member(consoleRequestOf(req), 'read');
        const u = await data.usage(m, { from: day(req.query.get('from'), 'from'), to: day(req.query.get('to'), 'to') });
        const rows: unknown[][] = [
          ['day', 'client_id', 'client_name', 'mode', 'action', 'scope', 'variant', 'requests', 'units', 'amount'],
        ];
        for (const r of u.rows)
          rows.push([
            r.day,
            r.clientId,
            r.clientName,
            r.mode,
            r.action,
            r.scope,
            r.variant,
            r.requests,
            r.units,
            unitsToString(r.amount),
          ]);
        return reply(`usage-${u.from}-${u.to}.csv`, csv(rows));
      },
    },
    {
      method: 'GET',
      path: '/console/ledger.csv',
      access: 'public',
      handler: async (req) => {
        const m = await people.member(consoleRequestOf(req), 'read');
        const rows: unknown[][] = [
          ['entry_id', 'at', 'kind', 'amount', 'balance_after', 'client_id', 'request_id', 'reason'],
        ];
        let before: string | null = null;
        // At most 100,000 rows in one export (200 pages of 500).
        for (let i = 0; i < 200; i++) {
          const page = await data.ledger(m, { first: 500, before });
          for (const e of page.entries)
            rows.push([
              e.id,
              e.at.toISOString(),
              e.kind,
              unitsToString(e.amount),
              unitsToString(e.balanceAfter),
              e.clientId,
              e.requestId,
              e.reason,
            ]);
          if (!page.nextBefore) break;
          before = page.nextBefore;
        }
        return reply('ledger.csv', csv(rows));
      },
    },
  ];
}
