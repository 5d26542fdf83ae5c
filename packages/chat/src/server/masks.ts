/** IRC masks: `*` is any run, `?` any one character. `bob` alone means `bob!*@*`. */
export function normalizeMask(mask: string): string {
  if (mask.includes('!') || mask.includes('@')) {
    const [nick = '*', rest = '*@*'] = mask.includes('!') ? splitOnce(mask, '!') : ['*', mask];
    const [user = '*', host = '*'] = rest.includes('@') ? splitOnce(rest, '@') : [rest, '*'];
    return `${nick || '*'}!${user || '*'}@${host || '*'}`;
  }
  return `${mask}!*@*`;
}

export function maskMatches(mask: string, subject: string): boolean {
  return compileMask(mask).test(subject);
}

/** The mask as a regular expression, built once: channel lists are checked on every JOIN and message. */
export function compileMask(mask: string): RegExp {
  const pattern = mask
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`, 's');
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return [text.slice(0, at), text.slice(at + 1)];
}
