import { connect, type Socket } from 'node:net';

/**
 * A minimal IRC client for load generation: registers, joins, answers PING,
 * and hands the send stamp of every load message ("... ~<microseconds>") to
 * `onStamp`. The hot path reads the stamp straight from the bytes, with no
 * string per line: at a million deliveries a second, that is what keeps the
 * load generator from being the bottleneck. It speaks only the common
 * protocol, so the same code drives our server and ngIRCd.
 */
export interface BenchClient {
  nick: string;
  socket: Socket;
  send(line: string): void;
}

export interface ClientHooks {
  /** Called with the number after the last "~" of a line that ends in "~<digits>". */
  onStamp?: (stamp: number) => void;
  onClose?: (nick: string) => void;
}

export function openClient(
  host: string,
  port: number,
  nick: string,
  channel: string | undefined,
  hooks: ClientHooks,
): Promise<BenchClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    let ready = false;
    const client: BenchClient = { nick, socket, send: (line) => socket.write(line + '\r\n') };
    const fail = (why: string) => {
      if (!ready) reject(new Error(`${nick}: ${why}`));
      socket.destroy();
    };
    socket.setTimeout(60_000, () => fail('timed out registering'));
    socket.once('error', (err) => fail(err.message));
    socket.once('close', () => {
      if (ready) hooks.onClose?.(nick);
      else fail('closed before registration finished');
    });
    let leftover: Buffer | undefined;
    socket.on('data', (chunk: Buffer) => {
      const buf = leftover ? Buffer.concat([leftover, chunk]) : chunk;
      leftover = undefined;
      let start = 0;
      for (let end = buf.indexOf(10, start); end !== -1; end = buf.indexOf(10, start)) {
        const stamp = ready && hooks.onStamp ? trailingStamp(buf, start, end) : -1;
        if (stamp >= 0) hooks.onStamp?.(stamp);
        else handle(buf.toString('latin1', start, end > start && buf[end - 1] === 13 ? end - 1 : end));
        start = end + 1;
      }
      if (start < buf.length) leftover = buf.subarray(start);
    });
    const handle = (line: string) => {
      if (line.startsWith('PING ')) {
        client.send('PONG ' + line.slice(5));
        return;
      }
      const code = line.split(' ', 3)[1];
      if (code === '001') {
        if (channel) client.send(`JOIN ${channel}`);
        else markReady();
      } else if (code === '366' && !ready) {
        markReady();
      } else if (code === '433' || code === '432') {
        fail(`nick refused (${code})`);
      } else if (line.startsWith('ERROR')) {
        fail(line);
      }
    };
    const markReady = () => {
      ready = true;
      socket.setTimeout(0);
      resolve(client);
    };
    client.send(`NICK ${nick}`);
    client.send(`USER ${nick} 0 * :bench`);
  });
}

/** Open `count` clients, `batch` registrations at a time. */
export async function openMany(
  count: number,
  open: (i: number) => Promise<BenchClient>,
  batch = 5,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < count; i += batch) {
    const round = [];
    for (let j = i; j < Math.min(count, i + batch); j += 1) round.push(open(j));
    clients.push(...(await Promise.all(round)));
  }
  return clients;
}

/** The integer after a final "~" on the line [start, end), or -1. */
function trailingStamp(buf: Buffer, start: number, end: number): number {
  let i = end - 1;
  if (i >= start && buf[i] === 13) i -= 1;
  let value = 0;
  let scale = 1;
  for (; i >= start; i -= 1) {
    const byte = buf[i]!;
    if (byte >= 48 && byte <= 57) {
      value += (byte - 48) * scale;
      scale *= 10;
    } else return byte === 126 && scale > 1 ? value : -1;
  }
  return -1;
}
