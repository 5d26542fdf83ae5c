/**
 * Which web pages may open a WebSocket to the server. A browser sends the page's origin with every WebSocket
 * handshake and lets any page connect anywhere, so this check is what keeps a stranger's page from using a
 * visitor's browser (and address) as an IRC client.
 */
export type OriginPolicy =
  /** The page must come from the host:port the request was sent to (behind a proxy: the Host it forwards). */
  | { readonly kind: 'same-host' }
  | { readonly kind: 'any' }
  | { readonly kind: 'list'; readonly origins: ReadonlySet<string> };

/** `*`, or origins separated by commas (`https://chat.example.org,http://localhost:8080`); a message when malformed. */
export function parseOriginList(text: string): OriginPolicy | string {
  if (text.trim() === '*') return { kind: 'any' };
  const origins = new Set<string>();
  for (const item of text.split(',').map((part) => part.trim())) {
    const origin = normalizeOrigin(item);
    if (origin === undefined || origin !== item.toLowerCase()) {
      return `"${item}" is not an origin such as https://chat.example.org (scheme, host and port only)`;
    }
    origins.add(origin);
  }
  return { kind: 'list', origins };
}

/** May a handshake with this Origin header (undefined: not a browser) and this Host header go on? */
export function originAllowed(policy: OriginPolicy, origin: string | undefined, host: string | undefined): boolean {
  // Only browsers send Origin, and only browsers can be made to connect on a stranger's behalf.
  if (origin === undefined) return true;
  if (policy.kind === 'any') return true;
  const normalized = normalizeOrigin(origin);
  if (normalized === undefined) return false;
  if (policy.kind === 'list') return policy.origins.has(normalized);
  if (host === undefined) return false;
  // Host has no scheme: read it with the Origin's, so that default ports (80, 443) compare equal either way.
  const scheme = new URL(normalized).protocol;
  try {
    return new URL(`${scheme}//${host}`).host === new URL(normalized).host;
  } catch {
    return false;
  }
}

/** `scheme://host[:port]` in URL's canonical form, or undefined for anything else (`null`, paths, other schemes). */
function normalizeOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return undefined;
  }
  if (text.endsWith('/')) return undefined;
  return url.origin;
}
