/** A path on this site to go back to, never another site's address (`//evil.example`, `/\evil.example`). */
export function localPath(path: unknown, fallback = '/'): string {
  return typeof path === 'string' && /^\/(?![/\\])[^\s]*$/.test(path) && path.length <= 500 ? path : fallback;
}
