import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openChatStore } from '../src/db/chat-store.js';
import { accountServer, manualClock } from './account-server.js';
import { exchange } from './exchange.js';
import { hasher, RawClient, tempDir } from './helpers.js';

const NS = ':NickServ!NickServ@services.';

describe('REGISTER and VERIFY (draft/account-registration)', () => {
  it('registers the current nick, logs in at once, and WHOIS shows the account', async () => {
    const { port } = await accountServer();
    const alice = await RawClient.register(port, 'alice');
    const bob = await RawClient.register(port, 'bob');
    expect(await exchange(alice, 'REGISTER * * :correct horse')).toEqual([
      ':test.server REGISTER SUCCESS alice :Account created',
      ':test.server 900 alice alice!alice@127.0.0.1 alice :You are now logged in as alice',
    ]);
    expect((await exchange(bob, 'WHOIS alice')).filter((line) => / 330 /.test(line))).toEqual([
      ':test.server 330 bob alice alice :is logged in as',
    ]);
    expect(await exchange(alice, 'REGISTER other * :correct horse')).toEqual([
      ':test.server FAIL REGISTER ALREADY_AUTHENTICATED other :You are already logged in',
    ]);
    expect(await exchange(alice, 'VERIFY alice 123456', 'VERIFY nobody 123456')).toEqual([
      ':test.server FAIL VERIFY ACCOUNT_ALREADY_VERIFIED alice :Account is already verified',
      ':test.server FAIL VERIFY INVALID_CODE nobody :Invalid verification code',
    ]);
    // Someone else may register a name other than their nick (custom-account-name), but not a taken one.
    expect(
      await exchange(
        bob,
        'REGISTER ALICE * :correct horse',
        'REGISTER bobs-account bob@example.org :a pass word of old',
      ),
    ).toEqual([
      ':test.server FAIL REGISTER ACCOUNT_EXISTS ALICE :Account already exists',
      ':test.server REGISTER SUCCESS bobs-account :Account created',
      ':test.server 900 bob bob!bob@127.0.0.1 bobs-account :You are now logged in as bobs-account',
    ]);
  });

  it('refuses bad names, emails and passwords, and registration before connecting', async () => {
    const { port } = await accountServer();
    const carol = await RawClient.register(port, 'carol');
    expect(
      await exchange(
        carol,
        'REGISTER bad!name * :amber quartz 41',
        'REGISTER nickserv * :amber quartz 41',
        'REGISTER carol not-an-address :amber quartz 41',
        'REGISTER carol * seven77',
        'REGISTER carolcarol * CarolCarol-for-ever',
        `REGISTER carol * ${'x'.repeat(73)}`,
        'REGISTER carol * :password1234',
        'REGISTER carol * :lmnopqrstuvw',
        'REGISTER carol *',
      ),
    ).toEqual([
      ':test.server FAIL REGISTER BAD_ACCOUNT_NAME bad!name :Account names follow the rules of nicknames',
      ':test.server FAIL REGISTER BAD_ACCOUNT_NAME nickserv :Account names follow the rules of nicknames',
      ':test.server FAIL REGISTER INVALID_EMAIL carol :That is not an email address',
      ':test.server FAIL REGISTER WEAK_PASSWORD carol :password must be at least 12 characters',
      ':test.server FAIL REGISTER WEAK_PASSWORD carolcarol :password must not contain the username',
      ':test.server FAIL REGISTER WEAK_PASSWORD carol :password must be at most 72 bytes of UTF-8',
      ':test.server FAIL REGISTER WEAK_PASSWORD carol :password is too common: it appears in lists of breached passwords; choose another',
      ':test.server FAIL REGISTER WEAK_PASSWORD carol :password must not be one repeated character or a simple sequence such as 123456789012 or abcdefghijkl',
      ':test.server 461 carol REGISTER :Not enough parameters',
    ]);
    const early = await RawClient.connect(port);
    await early.next(/NOTICE/); // the plain-mode greeting
    expect(await exchange(early, 'NICK early', 'REGISTER * * :amber quartz 41')).toEqual([
      ':test.server FAIL REGISTER COMPLETE_CONNECTION_REQUIRED * :Complete connection first',
    ]);
  });

  it('allows three registrations per address in ten minutes', async () => {
    const clock = manualClock();
    const { port } = await accountServer({ clock });
    for (const nick of ['one', 'two', 'three']) {
      const client = await RawClient.register(port, nick);
      expect((await exchange(client, 'REGISTER * * :amber quartz 41'))[0]).toBe(
        `:test.server REGISTER SUCCESS ${nick} :Account created`,
      );
    }
    const four = await RawClient.register(port, 'four');
    expect(await exchange(four, 'REGISTER * * :amber quartz 41')).toEqual([
      ':test.server FAIL REGISTER TEMPORARILY_UNAVAILABLE four :Too many registrations from your address; try again later',
    ]);
    clock.advance(10 * 60_000);
    four.send('REGISTER * * :amber quartz 41');
    expect(await four.next(/ REGISTER /)).toBe(':test.server REGISTER SUCCESS four :Account created');
  });

  it('lets exactly one of two connections registering the same name at once succeed', async () => {
    const store = openChatStore(join(tempDir(), 'chat.db'));
    const { port } = await accountServer({ store });
    const first = await RawClient.register(port, 'first');
    const second = await RawClient.register(port, 'second');
    first.send('REGISTER prize * :amber quartz 41');
    second.send('REGISTER prize * :amber quartz 42');
    const answers = await Promise.all([first.next(/ REGISTER /), second.next(/ REGISTER /)]);
    expect([...answers].sort()).toEqual([
      ':test.server FAIL REGISTER ACCOUNT_EXISTS prize :Account already exists',
      ':test.server REGISTER SUCCESS prize :Account created',
    ]);
    expect(store.accounts.list().map((account) => account.name)).toEqual(['prize']);
    // Kept as a bcrypt hash (@quartet/core's hasher), never as the password; the winner's password is the one kept.
    const [kept] = store.accounts.list();
    expect(kept!.passwordHash).toMatch(/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/);
    const winner = answers[0].includes('SUCCESS') ? 'amber quartz 41' : 'amber quartz 42';
    expect(await hasher.verify(winner, kept!.passwordHash)).toBe(true);
  });
});

describe('NickServ', () => {
  it('registers and identifies through PRIVMSG NickServ, NS and NICKSERV, and keeps its nick', async () => {
    const { port } = await accountServer();
    const dave = await RawClient.register(port, 'dave');
    expect(await exchange(dave, 'PRIVMSG NickServ :REGISTER lanterns-at-dusk')).toEqual([
      `${NS} NOTICE dave :Account dave registered; you are now logged in.`,
      ':test.server 900 dave dave!dave@127.0.0.1 dave :You are now logged in as dave',
    ]);
    const erin = await RawClient.register(port, 'erin');
    expect(
      await exchange(
        erin,
        'NS IDENTIFY dave wrong-password',
        'NICKSERV IDENTIFY dave lanterns-at-dusk',
        'NS identify x y',
      ),
    ).toEqual([
      `${NS} NOTICE erin :Invalid account or password.`,
      `${NS} NOTICE erin :You are now identified as dave.`,
      ':test.server 900 erin erin!erin@127.0.0.1 dave :You are now logged in as dave',
      `${NS} NOTICE erin :You are already logged in as dave.`,
    ]);
    expect(await exchange(erin, 'NS HELP', 'PRIVMSG nickserv :DROP', 'NICK NickServ', 'PRIVMSG NickServ')).toEqual([
      `${NS} NOTICE erin :NickServ lets you register your nickname as an account and log in to it.`,
      `${NS} NOTICE erin :REGISTER <password> [email]   register your current nickname`,
      `${NS} NOTICE erin :IDENTIFY [account] <password> log in (SASL PLAIN does the same when you connect)`,
      `${NS} NOTICE erin :HELP                          this list`,
      `${NS} NOTICE erin :Unknown command DROP. Try HELP.`,
      ':test.server 432 erin NickServ :Nickname is reserved',
      `${NS} NOTICE erin :NickServ lets you register your nickname as an account and log in to it.`,
      `${NS} NOTICE erin :REGISTER <password> [email]   register your current nickname`,
      `${NS} NOTICE erin :IDENTIFY [account] <password> log in (SASL PLAIN does the same when you connect)`,
      `${NS} NOTICE erin :HELP                          this list`,
    ]);
    const fred = await RawClient.register(port, 'fred');
    expect(await exchange(fred, 'NS REGISTER', 'NS REGISTER short', 'NS IDENTIFY lanterns-at-dusk')).toEqual([
      `${NS} NOTICE fred :Syntax: REGISTER <password> [email]`,
      `${NS} NOTICE fred :password must be at least 12 characters`,
      `${NS} NOTICE fred :Invalid account or password.`,
    ]);
  });

  it('closes a connection at its third failed IDENTIFY', async () => {
    const { port } = await accountServer();
    const guesser = await RawClient.register(port, 'guesser');
    guesser.send('NS IDENTIFY someone guess1', 'NS IDENTIFY someone guess2', 'NS IDENTIFY someone guess3');
    await guesser.closed;
    expect(guesser.lines.slice(-4)).toEqual([
      `${NS} NOTICE guesser :Invalid account or password.`,
      `${NS} NOTICE guesser :Invalid account or password.`,
      `${NS} NOTICE guesser :Invalid account or password.`,
      'ERROR :Closing Link: 127.0.0.1 (Too many failed login attempts)',
    ]);
  });
});
