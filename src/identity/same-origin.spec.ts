import { crossSiteRefusal, type RequestFacts } from './same-origin';

const SERVICE = 'https://grants.example.org';
const post = (facts: Partial<RequestFacts>): RequestFacts => ({
  method: 'POST',
  bearer: false,
  sessionCookie: true,
  alwaysChecked: false,
  host: 'grants.example.org',
  ...facts,
});
const refused = (facts: Partial<RequestFacts>) => crossSiteRefusal(post(facts), SERVICE) !== null;

describe('the same-origin rule for unsafe requests', () => {
  it('leaves reads, bearer tokens and cookie-less requests alone', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'get'])
      expect(refused({ method, origin: 'https://evil.example' })).toBe(false);
    expect(refused({ bearer: true, origin: 'https://evil.example', secFetchSite: 'cross-site' })).toBe(false);
    expect(refused({ sessionCookie: false, origin: 'https://evil.example' })).toBe(false);
  });

  it('allows what the browser says is the service itself', () => {
    expect(refused({ secFetchSite: 'same-origin' })).toBe(false);
    expect(refused({ secFetchSite: 'none' })).toBe(false);
    expect(refused({ secFetchSite: 'same-origin', origin: 'null' })).toBe(false);
    expect(refused({ origin: SERVICE })).toBe(false);
    expect(refused({ origin: 'http://10.0.0.5:3000', host: '10.0.0.5:3000' })).toBe(false);
    expect(refused({ referer: `${SERVICE}/groups/new?x=1` })).toBe(false);
  });

  it('refuses another origin, another site, and a cookie that comes with no sign of where from', () => {
    expect(refused({ origin: 'https://evil.example' })).toBe(true);
    expect(refused({ origin: 'https://grants.example.org.evil.example' })).toBe(true);
    expect(refused({ origin: 'http://grants.example.org:8443' })).toBe(true);
    expect(refused({ origin: 'null' })).toBe(true);
    expect(refused({ secFetchSite: 'cross-site' })).toBe(true);
    expect(refused({ secFetchSite: 'same-site', referer: `${SERVICE}/` })).toBe(true);
    expect(refused({ referer: 'https://evil.example/page' })).toBe(true);
    expect(refused({})).toBe(true);
    expect(crossSiteRefusal(post({ origin: 'https://evil.example/path' }), SERVICE)).toBe(
      "a request that changes something must come from the service's own pages at https://grants.example.org; this one came from https://evil.example",
    );
  });

  it('checks signing in and out without a cookie too, but lets API clients with no browser headers sign in', () => {
    expect(refused({ sessionCookie: false, alwaysChecked: true, origin: 'https://evil.example' })).toBe(true);
    expect(refused({ sessionCookie: false, alwaysChecked: true, secFetchSite: 'cross-site' })).toBe(true);
    expect(refused({ sessionCookie: false, alwaysChecked: true, origin: SERVICE })).toBe(false);
    expect(refused({ sessionCookie: false, alwaysChecked: true })).toBe(false);
  });
});
