// The server-side rule against cross-site request forgery. A browser adds its cookie to a form post
// from any site; the headers below it sets itself, and no page can forge them. SameSite=Lax already
// keeps the cookie off most cross-site posts; this rule does not depend on it. (The web pages will
// also put a token on every form: that is checked beside this rule, not instead of it.)

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface RequestFacts {
  method: string;
  /** An Authorization header: an API client, which no other site's page can make a browser send. */
  bearer: boolean;
  /** The session cookie, valid or not. */
  sessionCookie: boolean;
  /** Signing in or out: checked whether or not a cookie came (login CSRF). */
  alwaysChecked: boolean;
  secFetchSite?: string;
  origin?: string;
  referer?: string;
  /** The Host header: the origin the browser addressed, when no proxy rewrites it. */
  host?: string;
}

function hostOf(url: string): { origin: string; host: string } | null {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? null : { origin: parsed.origin, host: parsed.host };
  } catch {
    return null;
  }
}

/**
 * Why an unsafe request may not be served as the browser's own, or null when it may. Allowed: safe
 * methods; bearer tokens; requests with no session cookie, except signing in and out; then
 * `Sec-Fetch-Site: same-origin` or `none`, or an Origin (failing that a Referer) that is the
 * service's own origin or the Host the request was sent to. A cookie with none of these headers is
 * refused: browsers send Origin or Sec-Fetch-Site on every post.
 */
export function crossSiteRefusal(req: RequestFacts, serviceOrigin: string): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase()) || req.bearer) return null;
  if (!req.sessionCookie && !req.alwaysChecked) return null;
  if (req.secFetchSite === 'same-origin' || req.secFetchSite === 'none') return null;
  const own = (url: string) => {
    const from = hostOf(url);
    return from !== null && (from.origin === serviceOrigin || from.host === req.host);
  };
  const rule = `a request that changes something must come from the service's own pages at ${serviceOrigin}`;
  if (req.origin !== undefined)
    return own(req.origin) ? null : `${rule}; this one came from ${hostOf(req.origin)?.origin ?? 'an opaque origin'}`;
  if (req.secFetchSite !== undefined) return `${rule}; this one came from another site`;
  if (req.referer !== undefined) return own(req.referer) ? null : `${rule}; this one came from another site`;
  return req.sessionCookie ? `${rule} (Origin or Sec-Fetch-Site header), or use a bearer token` : null;
}
