// What the request logger writes about a request and its response, with secrets taken out: sign-in
// and invitation links carry their token in the query, browsers send sessions in cookies, API
// clients send tokens in headers. The rules are by name and by shape, never by route, so a new
// route's link is covered without being listed here.

export const REDACTED = '[redacted]';

/**
 * A query parameter or header is secret when its name contains one of these (any case):
 * `token`, `api_key`, `x-api-key`, `authorization`, `cookie`, `set-cookie`, `password`, `code`...
 */
const SECRET_NAME_PARTS = [
  'token',
  'secret',
  'password',
  'passwd',
  'key',
  'code',
  'signature',
  'auth',
  'session',
  'cookie',
  'credential',
  // a form's anti-forgery token, which an upload's form carries in its address
  'csrf',
];
/** ...or is one of these whole. */
const SECRET_NAMES = new Set(['sig', 'pwd', 'otp', 'jwt']);

/** Our tokens by their shape (`gwl_` links, `gws_` sessions, `gwe_` API tokens), wherever they appear. */
const TOKEN_SHAPE = /gw[a-z]_[A-Za-z0-9_-]{16,}/g;

/** Headers that carry a URL, whose query is redacted like the request's own. */
const URL_HEADERS = new Set(['referer', 'location', 'content-location']);

export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.has(lower) || SECRET_NAME_PARTS.some((part) => lower.includes(part));
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** A URL (path or absolute) with token-shaped text removed and the values of secret parameters replaced. */
export function redactUrl(url: string): string {
  const at = url.indexOf('?');
  const path = (at < 0 ? url : url.slice(0, at)).replace(TOKEN_SHAPE, REDACTED);
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (eq >= 0 && isSecretName(decoded(name))) return `${name}=${REDACTED}`;
      return pair.replace(TOKEN_SHAPE, REDACTED);
    })
    .join('&');
  return `${path}?${query}`;
}

/** Any value with token-shaped strings replaced, however deep (query values, route parameters). */
function withoutTokens(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(TOKEN_SHAPE, REDACTED);
  if (Array.isArray(value)) return value.map(withoutTokens);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutTokens(v)]));
  return value;
}

/** A parsed query (or any name-to-value map) with secret names' values replaced. */
export function redactFields(fields: unknown): unknown {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return withoutTokens(fields);
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, isSecretName(name) ? REDACTED : withoutTokens(value)]),
  );
}

/** Request or response headers: secret ones replaced, URLs in others redacted. */
export function redactHeaders(headers: unknown): unknown {
  if (!headers || typeof headers !== 'object') return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (isSecretName(name)) return [name, REDACTED];
      if (URL_HEADERS.has(name.toLowerCase()) && typeof value === 'string') return [name, redactUrl(value)];
      return [name, withoutTokens(value)];
    }),
  );
}

interface SerializedRequest {
  url?: unknown;
  query?: unknown;
  params?: unknown;
  headers?: unknown;
}

/** pino-http's `serializers.req`: the standard serialized request, redacted in place (the request itself is untouched). */
export function redactRequest<T extends SerializedRequest>(req: T): T {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  req.query = redactFields(req.query);
  req.params = redactFields(req.params);
  req.headers = redactHeaders(req.headers);
  return req;
}

/** pino-http's `serializers.res`. */
export function redactResponse<T extends { headers?: unknown }>(res: T): T {
  res.headers = redactHeaders(res.headers);
  return res;
}
