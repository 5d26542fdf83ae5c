#!/usr/bin/env -S node --single-threaded-gc --max-semi-space-size=4
// Single-threaded GC: on a small machine that is busy, V8's parallel GC makes the main thread wait for helper
// threads that are not scheduled; scavenges of 40-110 ms were measured under fan-out load, under 10 ms without
// them (docs/benchmarks.md, chat). Chat latency matters more than GC throughput. The flag must be given at start.
import { Command } from 'commander';
import { exitOnError } from './cli-errors.js';
import { serve } from './commands/serve.js';
import { loadBcryptCost, loadDataFile, loadServerConfig } from './config.js';
import type { AccountStore } from './db/account-store.js';

const program = new Command('chat-server')
  .description('A chat server on the IRC client protocol; people also join with plain nc.')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 picks a free one)', '6667')
  .option('--name <name>', 'server name shown to clients', 'quartet.local')
  .option('--info <text>', 'server description, shown by LINKS and WHOIS', 'quartet chat')
  .option('--motd <file>', 'message of the day, one line per line')
  .option('--oper-file <file>', 'operators, one name:<bcrypt hash> per line')
  .option('--max-clients <n>', 'connections allowed at once', '1000')
  .option('--max-per-ip <n>', 'connections allowed from one address', '10')
  .option('--data <file>', 'SQLite file for history, bans, mutes and accounts (default <data dir>/chat.db)')
  .option('--no-persist', 'keep history, bans, mutes and accounts in memory only')
  .option('--history <n>', 'channel messages replayed on JOIN (0: none)', '50')
  .option('--history-days <d>', 'days channel messages are kept', '30')
  .option('--tls-cert <file>', 'PEM certificate (chain) for the TLS listener')
  .option('--tls-key <file>', 'PEM private key for the TLS listener')
  .option('--tls-port <port>', 'port of the TLS listener', '6697')
  .option('--tls-only', 'no plain listener, TLS only')
  .option('--redis <url>', 'join a network of servers through Redis, e.g. redis://127.0.0.1:6379')
  .option('--node-id <name>', "this server's unique name in the network (default <hostname>-<pid>)")
  .option('--redis-prefix <prefix>', 'prefix of every Redis key and channel', 'quartet:chat:')
  .option('--nick-ttl <ms>', "expiry of nick claims; a crashed server's nicks are free after it", '30000')
  .option('--password <password>', 'connection password every client must give (or CHAT_SERVER_PASSWORD)')
  .option('--ws-port <port>', 'also accept IRC over WebSocket on this port (wss:// with --tls-cert)')
  .option('--ws-host <host>', 'address of the WebSocket listener (default: --host)')
  .option('--ws-origins <list>', 'web origins allowed to connect, comma-separated, or * (default: same host)')
  .option('--require-account-for-nick', 'a nick owned by an account is refused to everyone but its owner')
  .option('--web', 'serve the web client at / on the WebSocket port (needs --ws-port)')
  .exitOverride()
  .action(async (flags: Record<string, unknown>) => {
    const config = loadServerConfig(flags);
    const running = await serve(config);
    for (const warning of running.warnings) process.stderr.write(`chat-server: ${warning}\n`);
    if (running.plain) process.stdout.write(`chat-server listening on ${running.plain.host}:${running.plain.port}\n`);
    if (running.tls)
      process.stdout.write(`chat-server listening with TLS on ${running.tls.host}:${running.tls.port}\n`);
    if (running.websocket) {
      const scheme = config.tls ? 'wss' : 'ws';
      process.stdout.write(
        `chat-server listening for WebSocket on ${scheme}://${running.websocket.host}:${running.websocket.port}\n`,
      );
      if (config.websocket?.web) {
        const http = config.tls ? 'https' : 'http';
        process.stdout.write(
          `chat-server web client on ${http}://${running.websocket.host}:${running.websocket.port}/\n`,
        );
      }
    }
    const stop = () => void running.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('passwd')
  .description('prompt for a password and print an oper-file line name:<bcrypt hash>')
  .argument('<name>', 'operator name')
  .action(async (name: string) => {
    const { hashOperPassword } = await import('./commands/passwd.js');
    const line = await hashOperPassword(name, loadBcryptCost(), process.stdin);
    process.stdout.write(`${line}\n`);
  });

const oper = program.command('oper').description('mark accounts of the chat database as IRC operators');
const dataOption = ['--data <file>', 'SQLite file of the server (default <data dir>/chat.db)'] as const;
for (const [name, isOper] of [
  ['add', true],
  ['remove', false],
] as const) {
  oper
    .command(name)
    .description(isOper ? 'make an account an operator at its next login' : 'stop an account being an operator')
    .argument('<account>', 'account name')
    .option(...dataOption)
    .action(async (account: string, _flags: unknown, command: Command) => {
      const { setAccountOper } = await import('./commands/oper-accounts.js');
      const flags = command.optsWithGlobals();
      const line = await withAccounts(flags, (accounts) => setAccountOper(accounts, account, isOper));
      process.stdout.write(`${line}\n`);
    });
}
oper
  .command('list')
  .description('list the operator accounts')
  .option(...dataOption)
  .action(async (_flags: unknown, command: Command) => {
    const { listOperAccounts } = await import('./commands/oper-accounts.js');
    const names = await withAccounts(command.optsWithGlobals(), listOperAccounts);
    for (const name of names) process.stdout.write(`${name}\n`);
  });

/** Open the chat database, run `use` on its accounts, close it. `--data` may sit before or after `oper`, so the
 * flags are the command's merged with the program's (optsWithGlobals). */
async function withAccounts<T>(flags: Record<string, unknown>, use: (accounts: AccountStore) => T): Promise<T> {
  const { openChatStore } = await import('./db/chat-store.js');
  const store = openChatStore(loadDataFile(flags));
  try {
    for (const warning of store.warnings) process.stderr.write(`chat-server: ${warning}\n`);
    return use(store.accounts);
  } finally {
    store.close();
  }
}

program.parseAsync(process.argv).catch((error: unknown) => exitOnError('chat-server', error));
