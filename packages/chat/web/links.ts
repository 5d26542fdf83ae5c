/** A message's text cut into plain text and links, for the view to render each as text or as an `<a>`. */
export type Segment = { readonly text: string } | { readonly text: string; readonly href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Sentence punctuation after a link is usually not part of it. */
const TRAILING = /[.,;:!?)'\]]+$/;

/**
 * Only http: and https: become links, and only what the URL parser accepts; the href is the parser's serialisation,
 * so what the browser follows is exactly what was checked.
 */
export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const raw = match[0].replace(TRAILING, '');
    const href = safeHref(raw);
    if (href === undefined) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: raw, href });
    last = match.index + raw.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

function safeHref(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
