import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { ConflictError, UnavailableError } from '@quartet/core/errors';
import type { Message } from '../protocol/message.js';
import { ERR } from '../protocol/numerics.js';
import { renderMessage } from '../protocol/render.js';
import { parseInput } from '../protocol/user-input.js';
import { markHistory } from './history-mark.js';
import { ClientSession, type MessageMeta, type SessionOptions } from './session.js';

export interface BatchIo {
  readonly input: Readable;
  /** Lines for stdout (what the server says) and for stderr (our own complaints). */
  out(line: string): void;
  err(line: string): void;
}

/**
 * stdin is not a terminal: join, send every line, then make sure the server
 * has processed them all (a PING answered by its PONG, which comes after them)
 * before quitting. `echo hi | chat-client --nick bot` works in scripts this way.
 */
export async function runBatch(options: Omit<SessionOptions, 'reconnect'>, io: BatchIo): Promise<void> {
  let failed: Error | undefined;
  let pongWaiter: { token: string; resolve: () => void } | undefined;
  let joined: () => void = () => undefined;
  const joinedChannel = new Promise<void>((resolve) => (joined = resolve));
  let closed: (reason: string) => void = () => undefined;
  const closedPromise = new Promise<string>((resolve) => (closed = resolve));

  const session = new ClientSession(
    { ...options, reconnect: false },
    {
      message(message: Message, meta: MessageMeta) {
        if (pongWaiter && message.command === 'PONG' && message.params[1] === pongWaiter.token) pongWaiter.resolve();
        if (message.command === 'JOIN' && session.isSelf(message.prefix)) joined();
        if (message.command === ERR.BANNEDFROMCHAN || message.command === ERR.NOSUCHCHANNEL) {
          failed ??= new ConflictError(`cannot join ${message.params[1] ?? ''}: ${message.params[2] ?? ''}`);
          session.quit('Leaving').catch(() => undefined);
        }
        const text = renderMessage(message, { time: meta.time, currentChannel: session.currentChannel });
        if (text !== undefined) io.out(meta.history ? markHistory(text, false) : text);
      },
      status: () => undefined,
      nickRefused(nick, reason) {
        failed = new ConflictError(`nickname ${nick} refused: ${reason}`);
        void session.quit('Leaving');
        return new Promise<string>(() => undefined);
      },
      registered: () => undefined,
      closed: (reason) => closed(reason),
    },
  );
  session.start();
  const stop = await Promise.race([joinedChannel.then(() => undefined), closedPromise]);
  if (stop !== undefined) throw failed ?? new UnavailableError(`${options.host}:${options.port}: ${stop}`);

  let quitReason = 'Leaving';
  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  for await (const line of lines) {
    const action = parseInput(line, { channel: session.currentChannel, isOper: session.isOper });
    if (action.kind === 'send') action.messages.forEach((m) => session.send(m));
    else if (action.kind === 'error') io.err(action.text);
    else if (action.kind === 'help') action.lines.forEach((l) => io.out(l));
    else if (action.kind === 'quit') {
      quitReason = action.reason;
      break;
    }
  }

  const token = `batch-${Date.now()}`;
  const acknowledged = new Promise<void>((resolve) => (pongWaiter = { token, resolve }));
  session.send({ command: 'PING', params: [token] });
  const ended = await Promise.race([acknowledged.then(() => undefined), closedPromise]);
  if (ended !== undefined)
    throw failed ?? new UnavailableError(`lost the connection before the server confirmed: ${ended}`);
  await session.quit(quitReason);
  if (failed) throw failed;
}
