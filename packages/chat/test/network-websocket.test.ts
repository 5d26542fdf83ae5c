import { serviceForTests } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { exchange } from './exchange.js';
import { RawClient } from './helpers.js';
import { eventually, node, operFile, prefix } from './network-nodes.js';
import { WsClient } from './websocket-client.js';

const redis = await serviceForTests('redis');

describe.skipIf(!redis.available)('WebSocket users on servers joined through Redis', () => {
  it('talks, is seen by WHOIS and NAMES, is kicked and quits across servers like a TCP user', async () => {
    const keys = prefix();
    const opers = await operFile();
    const a = await node(redis.url, 'a', keys, opers, ['--ws-port', '0']);
    const b = await node(redis.url, 'b', keys, opers);
    const web = await WsClient.register(`ws://127.0.0.1:${a.wsPort!}`, 'web');
    const tcp = await RawClient.register(b.port, 'tcp');
    await tcp.join('#net');
    await web.join('#net');
    await tcp.next(':web!web@127.0.0.1 JOIN #net');
    await eventually(web, 'NAMES #net', / 366 /, / 353 web = #net :.*@tcp/);

    web.send('PRIVMSG #net :from a browser on a');
    await tcp.next(':web!web@127.0.0.1 PRIVMSG #net :from a browser on a');
    tcp.send('PRIVMSG #net :from a terminal on b', 'PRIVMSG web :just you');
    await web.next(':tcp!tcp@127.0.0.1 PRIVMSG #net :from a terminal on b');
    await web.next(':tcp!tcp@127.0.0.1 PRIVMSG web :just you');

    // Each server's first member of a channel is its operator there (docs/chat.md, "Several servers, one network").
    // The nick is taken network-wide, whatever the transport of its holder.
    const rival = await RawClient.connect(b.port);
    rival.send('NICK web', 'USER r 0 * :R');
    expect(await rival.next(/ 433 /)).toBe(':b.quartet.test 433 * web :Nickname is already in use');

    expect((await exchange(tcp, 'WHOIS web')).slice(0, 2)).toEqual([
      ':b.quartet.test 311 tcp web web 127.0.0.1 * :web Real',
      ':b.quartet.test 319 tcp web :@#net',
    ]);

    // b's channel operator kicks the WebSocket user on a; it joins again, then quits.
    tcp.send('KICK #net web :out');
    await web.next(':tcp!tcp@127.0.0.1 KICK #net web :out');
    await web.join('#net');
    await tcp.next(':web!web@127.0.0.1 JOIN #net');
    web.send('QUIT :closing the tab');
    await tcp.next(':web!web@127.0.0.1 QUIT :Quit: closing the tab');
  });
});
