import type { Logger } from '@quartet/core/log';
import { Redis } from 'ioredis';
import { foldCase, isLocalChannel } from '../protocol/casemap.js';
import { prefixNick } from '../protocol/message.js';
import type { Connection } from '../server/connection.js';
import type { ServerContext } from '../server/context.js';
import type { Delivery } from '../server/delivery.js';
import type { Network } from '../server/network.js';
import type { NetworkLink } from '../server/network-link.js';
import { RemoteDirectory } from './directory.js';
import { decodeEvent, type EventBody, type UserInfo } from './events.js';
import { applyEvent, dropNode } from './incoming.js';
import { NickClaims } from './nick-claims.js';

export interface RedisNetworkOptions {
  readonly url: string;
  readonly nodeId: string;
  readonly prefix: string;
  readonly nickTtlMs: number;
  readonly serverName: string;
  readonly log: Logger;
}

/** Channel lines that other servers' members must see too; MODE stays local (operator status is per server). */
const CROSSING = new Set(['PRIVMSG', 'NOTICE', 'TAGMSG', 'JOIN', 'PART', 'KICK', 'TOPIC', 'AWAY', 'INVITE']);
/** What a user does that everyone sharing a channel with them hears, on every server. */
const NEIGHBOURLY = new Set(['QUIT', 'NICK', 'AWAY', 'SETNAME', 'ACCOUNT', 'CHGHOST']);

/**
 * A chat server joined to others through Redis: nick claims in keys with an
 * expiry, everything else over one Pub/Sub channel. Pub/Sub is at-most-once:
 * what is published while a server is cut off from Redis is lost to it.
 * While Redis is away the server keeps serving its own users, and when Redis
 * returns it says hello, re-claims its nicks and hears everyone's state again.
 */
export function createRedisNetwork(options: RedisNetworkOptions): NetworkLink {
  const { nodeId, log } = options;
  const channel = `${options.prefix}events`;
  const redisOptions = {
    // Fail at once while disconnected instead of queueing: a chat line published late is worse than one lost.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    retryStrategy: (times: number) => Math.min(100 * times, 2_000),
  };
  const pub = new Redis(options.url, { ...redisOptions, lazyConnect: true });
  const sub = new Redis(options.url, { ...redisOptions, lazyConnect: true });
  const claims = new NickClaims(pub, options.prefix, options.nickTtlMs);
  const directory = new RemoteDirectory();
  let context: ServerContext | undefined;
  let local: Delivery | undefined;
  let online = false;
  let subscribed = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let lost = 0;

  const owner = (connection: Connection) => `${nodeId}:${connection.id}`;
  const publish = (body: EventBody) => {
    if (!online) {
      lost += 1;
      return;
    }
    pub.publish(channel, JSON.stringify({ ...body, node: nodeId, server: options.serverName })).catch(() => {
      lost += 1;
    });
  };
  const info = (connection: Connection): UserInfo => ({
    nick: connection.target,
    user: connection.user ?? '*',
    host: connection.host,
    realname: connection.realname,
    isOper: connection.isOper,
    ...(connection.account !== undefined && { account: connection.account }),
    ...(connection.away !== undefined && { away: connection.away }),
    channels: [...(context?.registry.channelsOf(connection) ?? [])]
      .filter((c) => !isLocalChannel(c.name))
      .map((c) => [c.name, c.isOp(connection)] as const),
  });
  const localUsers = () => [...(context?.registry.connections ?? [])].filter((c) => c.registered);

  let joining = false;
  const setOnline = () => {
    if (online || joining || pub.status !== 'ready' || !subscribed) return;
    joining = true;
    // Our nicks first (they may have expired, or Redis may be a new, empty one), then we are back.
    void holdClaims().finally(() => {
      joining = false;
      if (pub.status !== 'ready' || !subscribed) return;
      online = true;
      outageLogged = false;
      log.info({ event: 'redis_up', node: nodeId, lost }, 'joined the network');
      lost = 0;
      // hello makes the others drop whatever they remember of us, then state tells them who is here now.
      publish({ t: 'hello' });
      publish({ t: 'state', users: localUsers().map(info) });
    });
  };
  // Said once per outage, including one that begins before the first connection ever succeeds.
  let outageLogged = false;
  const setOffline = (why: string) => {
    subscribed = subscribed && sub.status === 'ready';
    if (!online && outageLogged) return;
    online = false;
    outageLogged = true;
    log.warn({ event: 'redis_down', node: nodeId, reason: why }, 'no Redis: serving local users only');
  };

  pub.on('ready', setOnline);
  sub.on('ready', () => {
    sub.subscribe(channel).then(
      () => {
        subscribed = true;
        setOnline();
      },
      (error: Error) => log.warn({ event: 'redis_subscribe_failed', error: error.message }, 'subscribe failed'),
    );
  });
  for (const client of [pub, sub]) {
    client.on('close', () => setOffline('connection closed'));
    client.on('error', (error: Error) => setOffline(error.message));
  }
  sub.on('message', (_channel: string, text: string) => {
    const event = decodeEvent(text);
    if (!event || event.node === nodeId || !context || !local) return;
    directory.seen(event.node, event.server, context.clock.now());
    if (event.t === 'hello') {
      dropNode(context, local, directory, event.node, '*.net *.split');
      directory.seen(event.node, event.server, context.clock.now());
      publish({ t: 'state', users: localUsers().map(info) });
    } else if (event.t === 'bye') {
      dropNode(context, local, directory, event.node, 'Server shutting down');
    } else {
      try {
        applyEvent(context, local, directory, event);
      } catch (error) {
        // One malformed event from another server must not take this one down.
        log.error(
          { event: 'network_event_failed', kind: event.t, from: event.node, error: String(error) },
          'bad event',
        );
      }
    }
  });

  /** Keep our claims alive, announce that we live, and forget servers that stopped doing so. */
  async function beat(): Promise<void> {
    if (!context || !local) return;
    const now = context.clock.now();
    for (const node of directory.silentSince(now - options.nickTtlMs)) {
      const users = dropNode(context, local, directory, node, '*.net *.split');
      log.warn({ event: 'node_lost', node, users }, 'a server went silent; its users are gone');
    }
    if (!online) return;
    publish({ t: 'alive' });
    await holdClaims();
  }

  /** Extend every local nick's claim; re-take the lapsed ones, or give way to whoever holds them now. */
  async function holdClaims(): Promise<void> {
    if (!context) return;
    const held = [...(context.registry.connections ?? [])].filter((c) => c.nick !== undefined && !c.closed);
    const wanted = held.map((c) => ({ nickKey: foldCase(c.nick!), owner: owner(c) }));
    const results = await claims.refresh(wanted).catch(() => undefined);
    if (!results) return;
    for (const [index, ok] of results.entries()) {
      if (ok) continue;
      const connection = held[index]!;
      const nickKey = wanted[index]!.nickKey;
      const again = await claims.claim(nickKey, owner(connection)).catch(() => 'claimed' as const);
      if (again === 'taken' && !connection.closed && foldCase(connection.nick ?? '') === nickKey) {
        log.warn({ event: 'nick_collision', nick: connection.nick }, 'nick taken elsewhere while Redis was away');
        context.disconnect(connection, 'Nick collision');
      }
    }
  }

  const network: Network = {
    async claimNick(connection, nick) {
      if (!online) return true; // Redis away: local uniqueness only until the heartbeat re-claims.
      try {
        return (await claims.claim(foldCase(nick), owner(connection))) === 'claimed';
      } catch {
        return true;
      }
    },
    releaseNick(connection, nick) {
      if (online) claims.release(foldCase(nick), owner(connection)).catch(() => undefined);
    },
    announce: (connection) => publish({ t: 'up', user: info(connection) }),
    findUser: (nick) => directory.find(nick),
    usersIn: (channelKey) => directory.usersIn(channelKey),
    users: () => directory.all(),
    counts: () => directory.counts(),
    servers: () => directory.servers(),
    sendPrivate: (user, { message, at }) => publish({ t: 'pm', to: user.nick, message, at }),
    kill: (user, by, comment) => publish({ t: 'kill', nick: user.nick, by: by.prefix, comment }),
    kicked: (user, channelKey) => directory.part(user.nick, channelKey),
    ban: (ban) => publish({ t: 'ban', ban }),
    unban: (mask) => publish({ t: 'unban', mask }),
    mute: (mute) => publish({ t: 'mute', mute }),
    unmute: (nickKey) => publish({ t: 'unmute', nickKey }),
  };

  return {
    network,
    wrapDelivery(inner) {
      return {
        toChannel(target, outgoing, except, minRank) {
          inner.toChannel(target, outgoing, except, minRank);
          const { message, at } = outgoing;
          if (!CROSSING.has(message.command) || !message.prefix?.includes('!') || isLocalChannel(target.name)) return;
          if (message.command !== 'JOIN') return publish({ t: 'chan', channel: target.name, message, at });
          const joiner = context?.registry.findNick(prefixNick(message.prefix));
          publish({ t: 'chan', channel: target.name, message, at, op: joiner !== undefined && target.isOp(joiner) });
        },
        toConnection: (target, outgoing) => inner.toConnection(target, outgoing),
        toNeighbours(source, outgoing, includeSource) {
          inner.toNeighbours(source, outgoing, includeSource);
          const { message, at } = outgoing;
          if (source.registered && NEIGHBOURLY.has(message.command)) {
            publish({ t: 'user', nick: prefixNick(message.prefix), message, at });
          }
        },
      };
    },
    start(serverContext, localDelivery) {
      context = serverContext;
      local = localDelivery;
      log.info({ event: 'redis_connecting', node: nodeId }, 'joining the network through Redis');
      pub.connect().catch(() => undefined);
      sub.connect().catch(() => undefined);
      heartbeat = setInterval(() => void beat(), Math.max(100, Math.floor(options.nickTtlMs / 3)));
      heartbeat.unref();
    },
    async stop() {
      clearInterval(heartbeat);
      if (online) {
        const mine = localUsers().map((c) => ({ nickKey: foldCase(c.nick!), owner: owner(c) }));
        await Promise.all(mine.map((m) => claims.release(m.nickKey, m.owner).catch(() => undefined)));
        publish({ t: 'bye' });
      }
      online = false;
      await Promise.all([pub.quit().catch(() => pub.disconnect()), sub.quit().catch(() => sub.disconnect())]);
    },
  };
}
