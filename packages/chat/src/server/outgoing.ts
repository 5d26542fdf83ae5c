import { encodeLine } from '../protocol/line-bytes.js';
import { formatMessage, formatTags, type Message } from '../protocol/message.js';
import { renderMessage } from '../protocol/render.js';

/** Where each command's free text sits; we always send that as a trailing `:` parameter. */
const TEXT_POSITION: Readonly<Record<string, number>> = {
  PRIVMSG: 2,
  NOTICE: 2,
  PART: 2,
  TOPIC: 2,
  KILL: 2,
  KICK: 3,
  CAP: 3,
  PONG: 2,
  QUIT: 1,
  JOIN: 3,
  ERROR: 1,
  AWAY: 1,
  SETNAME: 1,
};

/** Makes a message from the server itself (`:server.name COMMAND params`), stamped now. */
export type ServerMessage = (command: string, ...params: string[]) => Outgoing;

/** What decides the form of a line for one IRC reader: the capabilities it negotiated. */
export interface Reader {
  /** `lineForm(caps)`, kept as a field because it is read for every recipient of every broadcast. */
  readonly lineForm: number;
  readonly caps: ReadonlySet<string>;
}

const SERVER_TIME = 1;
const MESSAGE_TAGS = 2;
const ACCOUNT_TAG = 4;
const EXTENDED_JOIN = 8;

/** The capabilities that change how a line is written for a reader, as bits: which cached form of a line it gets. */
export function lineForm(caps: ReadonlySet<string>): number {
  return (
    (caps.has('server-time') ? SERVER_TIME : 0) |
    (caps.has('message-tags') ? MESSAGE_TAGS : 0) |
    (caps.has('account-tag') ? ACCOUNT_TAG : 0) |
    (caps.has('extended-join') ? EXTENDED_JOIN : 0)
  );
}

/**
 * One message on its way to one or many connections. Its bytes are formatted
 * once per form, however many recipients there are (a broadcast to 1000 members must
 * not format 1000 times); plain-mode readers get a readable rendering, also cached.
 *
 * Its tags are of two kinds: `msgid` and client-only `+tags` reach only readers with `message-tags`; the rest
 * (`batch`, `time`) go with the line as their own capabilities were checked by whoever made it; `account` reaches
 * only readers with `account-tag`. A JOIN made with the joiner's account and realname (extended-join) loses them
 * for readers without `extended-join`.
 */
export class Outgoing {
  private body: Buffer | undefined;
  /** An extended JOIN as readers without `extended-join` get it. */
  private shortJoin: Buffer | undefined;
  /** The IRC forms, by the reader's `lineForm`. */
  private readonly forms: (Buffer | undefined)[] = [];
  // Plain renderings differ only in whether the target is the reader's current channel.
  private plainCurrent: Buffer | null | undefined;
  private plainOther: Buffer | null | undefined;

  constructor(
    readonly message: Message,
    /** When it happened (ms since the epoch), for plain-mode timestamps. */
    readonly at: number,
    /**
     * Only readers that negotiated this capability get the line (`invite-notify`). TAGMSG, AWAY and SETNAME exist
     * for their capabilities alone, so they need theirs wherever they are made, here or from another server's event.
     */
    readonly onlyFor: string | undefined = CAPABILITY_OF[message.command],
  ) {}

  /** The line for this reader, or null when it is not for them. */
  ircBytes(reader: Reader): Buffer | null {
    if (this.onlyFor !== undefined && !reader.caps.has(this.onlyFor)) return null;
    const form = reader.lineForm;
    return (this.forms[form] ??= this.format(form));
  }

  private format(form: number): Buffer {
    const extended = (form & EXTENDED_JOIN) !== 0 || !isExtendedJoin(this.message);
    const body = extended
      ? (this.body ??= lineBody(this.message))
      : (this.shortJoin ??= lineBody(shortJoin(this.message)));
    const tags: Record<string, string> = {};
    const given = this.message.tags ?? {};
    if ((form & SERVER_TIME) !== 0 && given['time'] === undefined) tags['time'] = new Date(this.at).toISOString();
    for (const [key, value] of Object.entries(given)) {
      const shown = key === 'account' ? form & ACCOUNT_TAG : form & MESSAGE_TAGS || !needsMessageTags(key);
      if (shown) tags[key] = value;
    }
    return Object.keys(tags).length === 0 ? body : Buffer.concat([Buffer.from(`@${formatTags(tags)} `), body]);
  }

  /** Bytes for a plain-mode reader, or null when there is nothing for a person to see. */
  plainBytes(currentChannel: string | undefined): Buffer | null {
    // Plain mode negotiates nothing, so it gets nothing that needs a capability.
    if (this.onlyFor !== undefined) return null;
    const isCurrent = currentChannel !== undefined && this.message.params[0] === currentChannel;
    if (isCurrent) {
      this.plainCurrent ??= this.renderPlain(currentChannel);
      return this.plainCurrent;
    }
    this.plainOther ??= this.renderPlain(undefined);
    return this.plainOther;
  }

  private renderPlain(currentChannel: string | undefined): Buffer | null {
    const text = renderMessage(this.message, { time: new Date(this.at), currentChannel });
    return text === undefined ? null : Buffer.from(`${text}\r\n`, 'utf8');
  }
}

/** Lines that only readers with a capability ever get, whoever sends them. */
const CAPABILITY_OF: Readonly<Record<string, string>> = {
  TAGMSG: 'message-tags',
  AWAY: 'away-notify',
  SETNAME: 'setname',
  ACCOUNT: 'account-notify',
  CHGHOST: 'chghost',
};

/** The line without its tags: tags have their own budget in IRCv3; only the rest is held to 512 bytes. */
function lineBody(message: Message): Buffer {
  const { tags: _tags, ...rest } = message;
  return encodeLine(formatMessage(rest, forceTrailing(rest)));
}

/** `JOIN #chan account :realname` (extended-join) rather than `JOIN #chan`. */
function isExtendedJoin(message: Message): boolean {
  return message.command === 'JOIN' && message.params.length === 3;
}

function shortJoin(message: Message): Message {
  return { ...message, params: message.params.slice(0, 1) };
}

/** `msgid` and client-only tags (`+typing`) are message-tags' own; clients without it must not see them. */
function needsMessageTags(key: string): boolean {
  return key === 'msgid' || key.startsWith('+');
}

const VALUE_NUMERICS = new Set(['004', '221', '324', '329', '333', '336', '341', '346', '348', '367']);

function forceTrailing(message: Message): boolean {
  const position = TEXT_POSITION[message.command];
  if (position !== undefined) return message.params.length === position;
  // Numerics end in text after the target nick, except those that end in a value.
  return message.params.length > 1 && /^\d\d\d$/.test(message.command) && !VALUE_NUMERICS.has(message.command);
}
