import { encodeLine, formatMessage, formatTags, type Message } from '../protocol/message.js';
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
  ERROR: 1,
  AWAY: 1,
};

/** Makes a message from the server itself (`:server.name COMMAND params`), stamped now. */
export type ServerMessage = (command: string, ...params: string[]) => Outgoing;

/**
 * One message on its way to one or many connections. Its bytes are formatted
 * once, however many recipients there are (a broadcast to 1000 members must not
 * format 1000 times); plain-mode readers get a readable rendering, also cached.
 */
export class Outgoing {
  private irc: Buffer | undefined;
  private timed: Buffer | undefined;
  // Plain renderings differ only in whether the target is the reader's current channel.
  private plainCurrent: Buffer | null | undefined;
  private plainOther: Buffer | null | undefined;

  constructor(
    readonly message: Message,
    /** When it happened (ms since the epoch), for plain-mode timestamps. */
    readonly at: number,
  ) {}

  /** The line; with `withTime` (the reader negotiated `server-time`) prefixed by an `@time=` tag. */
  ircBytes(withTime = false): Buffer {
    if (this.irc === undefined) {
      const { tags, ...rest } = this.message;
      // Tags have their own 8 KiB budget in IRCv3; only the rest is held to 512 bytes.
      const line = encodeLine(formatMessage(rest, forceTrailing(rest)));
      this.irc = tags ? Buffer.concat([Buffer.from(`@${formatTags(tags)} `), line]) : line;
    }
    if (!withTime || this.message.tags) return this.irc;
    this.timed ??= Buffer.concat([Buffer.from(`@time=${new Date(this.at).toISOString()} `), this.irc]);
    return this.timed;
  }

  /** Bytes for a plain-mode reader, or null when there is nothing for a person to see. */
  plainBytes(currentChannel: string | undefined): Buffer | null {
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

const VALUE_NUMERICS = new Set(['004', '221', '324', '329', '333', '336', '341', '346', '348', '367']);

function forceTrailing(message: Message): boolean {
  const position = TEXT_POSITION[message.command];
  if (position !== undefined) return message.params.length === position;
  // Numerics end in text after the target nick, except those that end in a value.
  return message.params.length > 1 && /^\d\d\d$/.test(message.command) && !VALUE_NUMERICS.has(message.command);
}
