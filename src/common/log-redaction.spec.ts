import { isSecretName, redactFields, redactHeaders, redactRequest, redactUrl } from './log-redaction';

const LINK = 'gwl_yEgOcmCfK4YKi48If-NTuI5APaVw5urv3ymD7703Wco';

describe('log redaction', () => {
  it('names secret parameters and headers by what their name contains', () => {
    for (const name of [
      'token',
      'setupToken',
      'api_key',
      'X-API-Key',
      'authorization',
      'Proxy-Authorization',
      'cookie',
      'set-cookie',
      'password',
      'code',
      'signature',
      'client_secret',
      'sig',
      'otp',
      '_csrf',
      'x-csrf-token',
    ]) {
      expect(isSecretName(name)).toBe(true);
    }
    for (const name of ['page', 'lang', 'q', 'municipality', 'cursor', 'host', 'user-agent', 'origin'])
      expect(isSecretName(name)).toBe(false);
  });

  it('takes secret values out of a URL and keeps the rest', () => {
    expect(redactUrl('/my-applications/a1/attachments?_csrf=abc.def')).toBe(
      '/my-applications/a1/attachments?_csrf=[redacted]',
    );
    expect(redactUrl(`/auth/sign-in?token=${LINK}`)).toBe('/auth/sign-in?token=[redacted]');
    expect(redactUrl(`/setup?lang=ru&token=${LINK}&page=2`)).toBe('/setup?lang=ru&token=[redacted]&page=2');
    expect(redactUrl('/x?api%5Fkey=abc&Password=p&flag')).toBe('/x?api%5Fkey=[redacted]&Password=[redacted]&flag');
    expect(redactUrl(`https://grants.example.org/auth/sign-in/${LINK}?next=${LINK}`)).toBe(
      'https://grants.example.org/auth/sign-in/[redacted]?next=[redacted]',
    );
    expect(redactUrl('/applications?q=water&municipality=Zhazy')).toBe('/applications?q=water&municipality=Zhazy');
  });

  it('redacts parsed queries and headers without touching the originals', () => {
    const query = { token: LINK, lang: 'ru', list: ['a', LINK] };
    expect(redactFields(query)).toEqual({ token: '[redacted]', lang: 'ru', list: ['a', '[redacted]'] });
    expect(query.token).toBe(LINK);
    const headers = {
      authorization: 'Bearer gwe_x',
      cookie: 'grants_session=s%3Agws_x',
      'x-api-key': 'k',
      referer: `https://a.example/auth/sign-in?token=${LINK}`,
      host: 'a.example',
    };
    expect(redactHeaders(headers)).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'x-api-key': '[redacted]',
      referer: 'https://a.example/auth/sign-in?token=[redacted]',
      host: 'a.example',
    });
    expect(redactHeaders({ 'set-cookie': ['grants_session=s%3Agws_x; Path=/'] })).toEqual({
      'set-cookie': '[redacted]',
    });
  });

  it('rewrites the serialized request of the request logger', () => {
    const req = {
      method: 'GET',
      url: `/setup?token=${LINK}`,
      query: { token: LINK },
      params: { splat: ['setup', LINK] },
      headers: { cookie: 'c' },
    };
    expect(redactRequest(req)).toEqual({
      method: 'GET',
      url: '/setup?token=[redacted]',
      query: { token: '[redacted]' },
      params: { splat: ['setup', '[redacted]'] },
      headers: { cookie: '[redacted]' },
    });
  });
});
