// Request bodies, read with limits: 1 MiB for JSON (413 beyond), JSON only on JSON routes (415 otherwise).
import type { IncomingMessage } from 'node:http';
import { AppError } from '../../kernel/errors.ts';

export const JSON_LIMIT = 1024 * 1024;

/**
 * The client went away before the end of its body (closed the connection, cancelled the upload). Not a fault of
 * ours nor of a dependency: logged at info, answered to nobody, never counted as a 5xx
 * (docs/operations.md#client-aborts). The socket error it arrives with (ECONNRESET "aborted") would otherwise read
 * as an unreachable dependency.
 */
export class ClientAbortedError extends AppError {
  constructor() {
    super('bad_request', 'The request body ended early.');
  }
}

/**
 * After a 413 the rest of the body is read and thrown away, so the keep-alive connection can carry the answer and
 * the next request; but at most DRAIN_LIMIT more bytes for at most DRAIN_MS, then the connection is closed: a
 * client must not make us read a 10 GB upload to the end (docs/limits.md#request-size-limits).
 */
const DRAIN_LIMIT = 8 * 1024 * 1024;
const DRAIN_MS = 5000;

function drainOrClose(req: IncomingMessage): void {
  let drained = 0;
  const close = () => req.socket?.destroy();
  const timer = setTimeout(close, DRAIN_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) close();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

export function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drainOrClose(req);
    return Promise.reject(new AppError('payload_too_large', `Body exceeds ${limit} bytes.`));
  }
  // Listeners, not `for await`: leaving a for-await loop destroys the request stream, and a destroyed request
  // leaves its keep-alive connection unread, so the next request on it hangs.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      drainOrClose(req);
      reject(new AppError('payload_too_large', `Body exceeds ${limit} bytes.`));
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    // A request stream errs only when its client went away mid-body (the socket reset, "aborted").
    const onError = () => {
      done();
      reject(new ClientAbortedError());
    };
    // The client went away before the end of its body: nothing to answer.
    const onClose = () => {
      if (req.complete) return;
      done();
      reject(new ClientAbortedError());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
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
