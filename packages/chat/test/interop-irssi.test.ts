import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerAccount } from './account-server.js';
import { tempDir } from './helpers.js';
import { spawnServer } from './processes.js';
import { observer, programsForTests, serverArgs, TMUX, TmuxPane } from './terminal-clients.js';

// The real irssi against the real chat-server bin, typed into through tmux and read off its screen.
const programs = programsForTests([{ command: 'irssi', apt: 'irssi' }, TMUX]);
if (!programs.available) console.warn(`chat irssi interop tests ${programs.reason}`);

const IRSSI = 'irssi!irssi@127.0.0.1';

/**
 * irssi in a terminal, with a home of its own. Timestamps are off so that screen lines can be matched exactly.
 */
async function startIrssi(): Promise<TmuxPane> {
  const home = tempDir();
  writeFileSync(
    join(home, 'config'),
    `settings = {
  core = { real_name = "irssi interop"; user_name = "irssi"; nick = "irssi"; };
  "fe-common/core" = { timestamps = "no"; };
};
`,
  );
  const irssi = TmuxPane.start(['irssi', `--home=${home}`]);
  await irssi.waitFor(/^-!- Irssi v\d/m);
  return irssi;
}

describe.skipIf(!programs.available)('irssi against chat-server', () => {
  it('registers, joins and syncs, talks, acts, sets the topic and exchanges private messages', async () => {
    const { port } = await spawnServer(serverArgs);
    const obs = await observer(port!);
    const irssi = await startIrssi();

    irssi.type(`/connect 127.0.0.1 ${port}`);
    await irssi.waitFor(/^-!- Welcome to the quartet IRC Network irssi!irssi@127\.0\.0\.1$/m);
    irssi.type('/join #interop');
    expect(await obs.next(/ JOIN /)).toBe(`:${IRSSI} JOIN #interop`);
    // irssi reports a channel synced once the server has answered every query it makes on JOIN (MODE, WHO, bans);
    // irssi sends them about 2.5 s apart (its rawlog shows each answered at once), so this takes some 8 s.
    await irssi.waitFor(/^-!- Irssi: Join to #interop was synced in \d+ secs$/m);

    // The observer made the channel, so it holds +o; irssi needs it for /topic on a +t channel.
    obs.send('MODE #interop +o irssi');
    await irssi.waitFor(/^-!- mode\/#interop \[\+o irssi\] by observer$/m);

    irssi.type('hello from irssi');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${IRSSI} PRIVMSG #interop :hello from irssi`);
    irssi.type('/me waves');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${IRSSI} PRIVMSG #interop :\x01ACTION waves\x01`);
    irssi.type('/topic #interop new topic');
    expect(await obs.next(/ TOPIC /)).toBe(`:${IRSSI} TOPIC #interop :new topic`);
    await irssi.waitFor(/^-!- irssi changed the topic of #interop to: new topic$/m);

    obs.send('PRIVMSG #interop :hello irssi');
    await irssi.waitFor(/^<@observer> hello irssi$/m);

    irssi.type('/msg observer psst observer');
    expect(await obs.next(/ PRIVMSG /)).toBe(`:${IRSSI} PRIVMSG observer :psst observer`);
    obs.send('PRIVMSG irssi :psst irssi');
    // A private message lands in irssi's query window; bring it to the front to read it.
    irssi.type('/query observer');
    await irssi.waitFor(/^<observer> psst irssi$/m);

    irssi.type('/quit bye now');
    expect(await obs.next(/ QUIT /)).toBe(`:${IRSSI} QUIT :Quit: bye now`);
  }, 60_000);

  it('logs in to an account with its standard SASL settings', async () => {
    const { port } = await spawnServer(serverArgs);
    await registerAccount(port!, 'irssi', 'teapot-at-noon');
    const obs = await observer(port!);
    const irssi = await startIrssi();

    irssi.type('/network add -sasl_mechanism PLAIN -sasl_username irssi -sasl_password teapot-at-noon quartet');
    irssi.type(`/server add -network quartet 127.0.0.1 ${port}`);
    irssi.type('/connect quartet');
    await irssi.waitFor(/^-!- Welcome to the quartet IRC Network irssi!irssi@127\.0\.0\.1$/m);
    obs.send('WHOIS irssi');
    expect(await obs.next(/ 330 /)).toBe(':quartet.local 330 observer irssi irssi :is logged in as');
    // irssi logs in between CAP REQ and CAP END, before it has sent NICK: the 900 names no one yet. No NickServ
    // warning follows, as the nick's owner logged in before registering.
    const screen = irssi.screen();
    expect(screen).toMatch(
      /^-!- \*!\*@127\.0\.0\.1 irssi You are now logged in as irssi\n-!- SASL authentication succeeded$/m,
    );
    expect(screen).not.toMatch(/NickServ/);
  }, 60_000);

  it('sends the server password given to /connect', async () => {
    const { port } = await spawnServer([...serverArgs, '--password', 'sesame']);
    const obs = await observer(port!, 'sesame');
    const irssi = await startIrssi();

    irssi.type(`/connect 127.0.0.1 ${port} sesame`);
    await irssi.waitFor(/^-!- Welcome to the quartet IRC Network irssi!irssi@127\.0\.0\.1$/m);
    irssi.type('/join #interop');
    expect(await obs.next(/ JOIN /)).toBe(`:${IRSSI} JOIN #interop`);
  }, 60_000);

  it('is refused with a wrong server password, and never registers', async () => {
    const { port } = await spawnServer([...serverArgs, '--password', 'sesame']);
    const obs = await observer(port!, 'sesame');
    const irssi = await startIrssi();

    irssi.type(`/connect 127.0.0.1 ${port} wrong`);
    const screen = await irssi.waitFor(/Closing Link/);
    expect(screen).toMatch(/^-!- Password incorrect$/m);
    expect(screen).toMatch(/^-!- Irssi: Connection lost to 127\.0\.0\.1$/m);
    obs.send('ISON irssi');
    expect(await obs.next(/ 303 /)).toBe(':quartet.local 303 observer :');
    await obs.sync();
    expect(obs.lines.filter((line) => line.includes('irssi'))).toEqual([]);
  }, 60_000);
});
