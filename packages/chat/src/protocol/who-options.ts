/**
 * WHO's second parameter: `o` for operators only, and IRCv3 WHOX (`%fields[,token]`), which asks for a 354 reply
 * with the chosen fields instead of 352. See https://ircv3.net/specs/extensions/whox.
 */
export interface WhoOptions {
  readonly opersOnly: boolean;
  /** The WHOX fields asked for, in the order they are sent (always `tcuihsnfdlaor`, whatever the request's order). */
  readonly whox: { readonly fields: readonly WhoxField[]; readonly token: string } | undefined;
}

export type WhoxField = 't' | 'c' | 'u' | 'i' | 'h' | 's' | 'n' | 'f' | 'd' | 'l' | 'a' | 'o' | 'r';

const WHOX_ORDER: readonly WhoxField[] = ['t', 'c', 'u', 'i', 'h', 's', 'n', 'f', 'd', 'l', 'a', 'o', 'r'];

export function parseWhoOptions(text: string | undefined): WhoOptions {
  if (text === undefined) return { opersOnly: false, whox: undefined };
  const percent = text.indexOf('%');
  const flags = percent === -1 ? text : text.slice(0, percent);
  if (percent === -1) return { opersOnly: flags.includes('o'), whox: undefined };
  const [wanted = '', token = ''] = text.slice(percent + 1).split(',');
  const fields = WHOX_ORDER.filter((field) => wanted.includes(field));
  // The token is at most three digits; anything else is sent back as 0.
  return { opersOnly: flags.includes('o'), whox: { fields, token: /^\d{1,3}$/.test(token) ? token : '0' } };
}
