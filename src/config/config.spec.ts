import { loadConfig } from './config';

describe('loadConfig', () => {
  it('points links at the port the service listens on when BASE_URL is unset', () => {
    expect(loadConfig({ PORT: '47231' }).BASE_URL).toBe('http://localhost:47231');
    expect(loadConfig({ PORT: '47231', BASE_URL: '' }).BASE_URL).toBe('http://localhost:47231');
    expect(loadConfig({}).BASE_URL).toBe('http://localhost:3000');
  });

  it('keeps a BASE_URL that is given, whatever the port', () => {
    expect(loadConfig({ PORT: '47231', BASE_URL: 'https://grants.example.org' }).BASE_URL).toBe(
      'https://grants.example.org',
    );
    expect(() => loadConfig({ BASE_URL: 'grants.example.org' })).toThrow('BASE_URL must be an http(s) URL');
  });
});
