import type { Connection } from './connection.js';
import type { ServerContext } from './context.js';
import { capturing } from './labels.js';
import { Outgoing } from './outgoing.js';

/** The spec's limit on a label; a longer one is not echoed, and the command is answered as if unlabeled. */
export const LABEL_MAX_BYTES = 64;

/** Batch ids need only be unique on their connection; numbered per connection, they are predictable in tests. */
const batches = new WeakMap<Connection, number>();

/**
 * IRCv3 labeled-response: a command sent with `@label=…` by a client with `labeled-response` is answered with that
 * label. One line carries it; several go in a `labeled-response` batch whose start carries it (a `chathistory`
 * batch among them nests inside); a command with no answer gets `ACK`. The echo of one's own PRIVMSG
 * (echo-message) is the answer to it. Lines sent to other connections are untouched.
 */
export function labeled(
  context: ServerContext,
  connection: Connection,
  label: string | undefined,
  run: () => void | Promise<void>,
): void | Promise<void> {
  if (label === undefined || label === '' || !connection.caps.has('labeled-response')) return run();
  if (Buffer.byteLength(label) > LABEL_MAX_BYTES) return run();
  return capturing(connection, run, (lines) => respond(context, connection, label, lines));
}

function respond(context: ServerContext, connection: Connection, label: string, lines: readonly Outgoing[]): void {
  // Lines this reader would not get (a TAGMSG without message-tags) are no part of its answer.
  const shown = lines.filter((line) => line.ircBytes(connection) !== null);
  const [only] = shown;
  if (only === undefined) return connection.send(withTags(context.server('ACK'), { label }));
  if (shown.length === 1) return connection.send(withTags(only, { label }));
  const count = (batches.get(connection) ?? 0) + 1;
  batches.set(connection, count);
  const id = `label${count}`;
  connection.send(withTags(context.server('BATCH', `+${id}`, 'labeled-response'), { label }));
  for (const line of shown) {
    // Lines of a batch inside (chathistory) stay in it; that batch's own start and end lines get ours.
    connection.send(line.message.tags?.['batch'] === undefined ? withTags(line, { batch: id }) : line);
  }
  connection.send(context.server('BATCH', `-${id}`));
}

function withTags(outgoing: Outgoing, tags: Record<string, string>): Outgoing {
  const { message } = outgoing;
  return new Outgoing({ ...message, tags: { ...tags, ...message.tags } }, outgoing.at, outgoing.onlyFor);
}
