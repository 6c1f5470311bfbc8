import type { RawResponse } from './http';

// A page's weight as a browser first and next receives it: the HTML, then the stylesheets and
// scripts the HTML names (with the modules a script imports) and the fonts the stylesheets and the
// HTML's preloads name, each once; compressed as the service sends them to a browser that accepts
// gzip and brotli. Assets are served with immutable caching, so a next visit costs the HTML only.

/** A GET of a path on the service, as the page's reader sends it. */
export type Get = (path: string) => Promise<RawResponse>;

export interface Asset {
  path: string;
  wireBytes: number;
  encoding: string;
  /** Why a browser might fetch it again: not served immutable, or no content digest in its address. */
  caching: string | null;
}

export interface PageWeight {
  html: number;
  encoding: string;
  assets: Asset[];
  firstVisit: number;
}

const FONT = /\.(woff2?|ttf|otf)(\?|$)/;

/** The addresses a text names, by kind: what the HTML links and loads, a stylesheet's fonts, a module's imports. */
function referencesOf(kind: 'html' | 'css' | 'js', text: string): string[] {
  const all = (pattern: RegExp) => [...text.matchAll(pattern)].map((m) => m[1].replace(/&amp;/g, '&'));
  if (kind === 'html')
    return [
      ...all(/<link\b[^>]*\brel="(?:stylesheet|preload|modulepreload)"[^>]*\bhref="([^"]+)"/g),
      ...all(/<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|preload|modulepreload)"/g),
      ...all(/<script\b[^>]*\bsrc="([^"]+)"/g),
    ];
  if (kind === 'css') return all(/url\(\s*["']?([^"')]+)["']?\s*\)/g).filter((url) => FONT.test(url));
  return all(/\bimport\s*(?:[^'"]*?\bfrom\s*)?["']([^"']+)["']/g);
}

const kindOf = (path: string): 'css' | 'js' | null =>
  /\.css(\?|$)/.test(path) ? 'css' : /\.m?js(\?|$)/.test(path) ? 'js' : null;

/** Fetches assets once for all the pages measured with it: the same file weighs the same on every page. */
export class AssetCache {
  private readonly known = new Map<string, Promise<{ asset: Asset; references: string[] }>>();

  constructor(private readonly get: Get) {}

  fetch(path: string): Promise<{ asset: Asset; references: string[] }> {
    let entry = this.known.get(path);
    if (!entry) {
      entry = this.load(path);
      this.known.set(path, entry);
    }
    return entry;
  }

  private async load(path: string): Promise<{ asset: Asset; references: string[] }> {
    const res = await this.get(path);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    const cacheControl = String(res.headers['cache-control'] ?? '');
    const caching = !cacheControl.includes('immutable')
      ? `served with Cache-Control "${cacheControl}"`
      : !path.includes('?v=')
        ? 'immutable, but its address has no content digest'
        : null;
    const kind = kindOf(path);
    const references = kind ? referencesOf(kind, res.text()).map((ref) => resolve(ref, path)) : [];
    const encoding = String(res.headers['content-encoding'] ?? 'none');
    return { asset: { path, wireBytes: res.wireBytes, encoding, caching }, references };
  }
}

/** A reference resolved against the address of what names it, kept as a path on the service. */
function resolve(reference: string, from: string): string {
  const url = new URL(reference, new URL(from, 'http://service'));
  return url.origin === 'http://service' ? `${url.pathname}${url.search}` : url.href;
}

/** A page's HTML weight, and the assets it brings in, each counted once. */
export async function weighPage(path: string, get: Get, assets: AssetCache): Promise<PageWeight> {
  const res = await get(path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
  const found = new Map<string, Asset>();
  let pending = referencesOf('html', res.text()).map((ref) => resolve(ref, path));
  while (pending.length) {
    const next: string[] = [];
    for (const ref of pending) {
      if (found.has(ref) || !ref.startsWith('/')) continue;
      const { asset, references } = await assets.fetch(ref);
      found.set(ref, asset);
      next.push(...references);
    }
    pending = next;
  }
  const all = [...found.values()];
  return {
    html: res.wireBytes,
    encoding: String(res.headers['content-encoding'] ?? 'none'),
    assets: all,
    firstVisit: res.wireBytes + all.reduce((sum, a) => sum + a.wireBytes, 0),
  };
}

/** Bytes as kB of 1,000 bytes, one decimal. */
export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
