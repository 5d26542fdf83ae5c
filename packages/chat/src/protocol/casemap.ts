/**
 * CASEMAPPING=ascii: only A–Z fold to a–z. We advertise it in 005, so clients
 * fold the same way we do and never disagree about who is who.
 */
export function foldCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

export const NICK_MAX = 30;
export const CHANNEL_MAX = 50;

// RFC 2812 §2.3.1: a letter or special first, then letters, digits, specials and '-'.
const NICK_RE = /^[A-Za-z[\]\\`_^{|}][A-Za-z0-9[\]\\`_^{|}-]*$/;

export function isValidNick(nick: string): boolean {
  return nick.length > 0 && nick.length <= NICK_MAX && NICK_RE.test(nick);
}

const CHANNEL_FORBIDDEN = new Set(['\0', '\x07', '\r', '\n', ' ', ',', ':']);

/** `#` or `&`, then anything but NUL, BEL, CR, LF, space, comma and colon, 50 characters in all. */
export function isValidChannel(name: string): boolean {
  if (name.length < 2 || name.length > CHANNEL_MAX || !isChannelName(name)) return false;
  return ![...name].some((char) => CHANNEL_FORBIDDEN.has(char));
}

/** Usernames end up in every `nick!user@host` prefix: keep them short and free of prefix syntax. */
export function toUsername(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_.~-]/g, '').slice(0, 10) || 'user';
}

export function isChannelName(target: string): boolean {
  return target.startsWith('#') || isLocalChannel(target);
}

/** `&` channels belong to one server (Modern IRC): the network never hears of them. */
export function isLocalChannel(name: string): boolean {
  return name.startsWith('&');
}
