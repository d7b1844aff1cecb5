/**
 * The client-error codes of both example apps (SPEC §E): a status and its stable code in the
 * body `{"error": code}`. Documented in the README's error table.
 */
export const CLIENT_ERROR_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** A mistake of the client (bad path, body or media type): answered 4xx, logged as a client error. */
export class ClientError extends Error {
  readonly status: number;
  readonly code: string;
  /** Koa reads `expose`: a client error's message may reach the client. */
  readonly expose = true;

  constructor(status: 400 | 413 | 415, message: string, code: string = CLIENT_ERROR_CODES[status] ?? 'bad_request') {
    super(message);
    this.name = 'ClientError';
    this.status = status;
    this.code = code;
  }
}

/** Throws 400 `bad_request` when the raw path has a bad percent-encoding (`/data/%zz`). */
export function checkPath(path: string): void {
  try {
    decodeURIComponent(path);
  } catch {
    throw new ClientError(400, 'path has a bad percent-encoding');
  }
}

/**
 * Throws 415 `unsupported_media_type` when a JSON or form body declares a charset other than
 * UTF-8. Run before the body parser, so that both apps refuse the same charsets.
 */
export function checkCharset(contentType: string | undefined): void {
  if (contentType === undefined || !/^\s*application\/(json|x-www-form-urlencoded)\s*(;|$)/i.test(contentType)) return;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    throw new ClientError(415, `unsupported charset ${JSON.stringify(charset)}`);
  }
}

/**
 * The parsed body of a route that reads one (`POST /login`, `PUT /data/:key`): `typeMatch` is
 * the framework's `is('json', 'urlencoded')` (null when there is no body). Another media type
 * is 415; JSON that is not an object (`[]`) is 400; no body at all (or `Content-Length: 0`) is `{}`.
 */
export function bodyObject(typeMatch: string | false | null, body: unknown, contentLength: string | undefined): Record<string, unknown> {
  if (typeMatch === false && contentLength?.trim() !== '0') throw new ClientError(415, 'expected a JSON or form body');
  if (typeMatch === false) return {};
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ClientError(400, 'the body is not a JSON object');
  return body as Record<string, unknown>;
}
