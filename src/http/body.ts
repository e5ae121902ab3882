// Request bodies, read with limits: 1 MiB for JSON (413 beyond), JSON only on JSON routes (415 otherwise).
import type { IncomingMessage } from 'node:http';
import { AppError } from '../kernel/errors.ts';

export const JSON_LIMIT = 1024 * 1024;

export async function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain, so the connection can answer
    throw new AppError('payload_too_large', `Body exceeds ${limit} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new AppError('payload_too_large', `Body exceeds ${limit} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | string[] | undefined): string {
  return String(header ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

export async function readJson(
  req: IncomingMessage,
  unsupported = 'Send the body as application/json.',
): Promise<unknown> {
  const type = mediaType(req.headers['content-type']);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    req.resume();
    throw new AppError('unsupported_media_type', unsupported);
  }
  const raw = await readRaw(req, JSON_LIMIT);
  if (raw.length === 0) throw new AppError('bad_request', 'A JSON body is required.');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
}

/** Narrows a parsed body to a plain object or fails with bad_request. */
export function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError('bad_request', 'The JSON body must be an object.');
  return body as Record<string, unknown>;
}
