import { CHANNEL_MAX, NICK_MAX } from './casemap.js';

/*
 * The limits the server enforces, each advertised in 005 from the same constant, so that what clients are told and
 * what the server does cannot drift apart. Lengths are in bytes of UTF-8, as IRC counts them.
 */
export const TOPIC_MAX = 390;
export const KICK_REASON_MAX = 390;
export const AWAY_MAX = 200;
/** Realnames, from USER or SETNAME (NAMELEN). */
export const REALNAME_MAX = 100;
/** RFC 2812's key grammar allows 23 characters. */
export const KEY_MAX = 23;
/** Mode changes that take a parameter, per MODE command; further ones are dropped. */
export const MODE_CHANGES_MAX = 6;
/** Entries in each list mode (+b, +e, +I) of a channel. */
export const LIST_ENTRIES_MAX = 100;
export const CHANNELS_PER_USER_MAX = 50;
/** Targets of one PRIVMSG, NOTICE or KICK; further ones are dropped. */
export const TARGETS_MAX = 4;
/**
 * Messages one CHATHISTORY answers at most; a larger or zero limit gets this many. A page a client scrolls
 * through, kept well under a send queue (ergo allows 1000; its queues are larger).
 */
export const CHATHISTORY_MAX = 100;

/** RPL_MYINFO (004): user modes, channel modes, and the channel modes that take a parameter. */
export const MYINFO_MODES = ['Biow', 'CIbeiklmnostv', 'Ibeklov'] as const;

/** What we put in 005. Clients read CASEMAPPING and PREFIX to track nicks and ops correctly. */
export const ISUPPORT_TOKENS: readonly string[] = [
  'CASEMAPPING=ascii',
  'CHANTYPES=#&',
  'PREFIX=(ov)@+',
  'CHANMODES=beI,k,l,Cimnst',
  `MODES=${MODE_CHANGES_MAX}`,
  'STATUSMSG=@+',
  'EXCEPTS=e',
  'INVEX=I',
  `MAXLIST=b:${LIST_ENTRIES_MAX},e:${LIST_ENTRIES_MAX},I:${LIST_ENTRIES_MAX}`,
  `CHANLIMIT=#:${CHANNELS_PER_USER_MAX},&:${CHANNELS_PER_USER_MAX}`,
  `NICKLEN=${NICK_MAX}`,
  `CHANNELLEN=${CHANNEL_MAX}`,
  `TOPICLEN=${TOPIC_MAX}`,
  `KICKLEN=${KICK_REASON_MAX}`,
  `AWAYLEN=${AWAY_MAX}`,
  `NAMELEN=${REALNAME_MAX}`,
  `KEYLEN=${KEY_MAX}`,
  `TARGMAX=KICK:${TARGETS_MAX},NOTICE:${TARGETS_MAX},PRIVMSG:${TARGETS_MAX},TAGMSG:${TARGETS_MAX},WHOWAS:${TARGETS_MAX}`,
  `MAXTARGETS=${TARGETS_MAX}`,
  'ELIST=CMNTU',
  'WHOX',
  'BOT=B',
  'NETWORK=quartet',
  `CHATHISTORY=${CHATHISTORY_MAX}`,
  'MSGREFTYPES=msgid,timestamp',
];

/** A reply has at most 15 parameters: the nick, 13 tokens and the closing text (Modern IRC, RPL_ISUPPORT). */
const TOKENS_PER_LINE = 13;

/** The tokens as they go out, one 005 line each. */
export const ISUPPORT_LINES: readonly (readonly string[])[] = Array.from(
  { length: Math.ceil(ISUPPORT_TOKENS.length / TOKENS_PER_LINE) },
  (_, line) => ISUPPORT_TOKENS.slice(line * TOKENS_PER_LINE, (line + 1) * TOKENS_PER_LINE),
);

/** Cut text to at most `max` bytes of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, max: number): string {
  if (text.length <= max / 3) return text; // cannot be over: a UTF-16 unit is at most 3 bytes
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}
