#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { exitCodeByKind as EXIT_CODES, isQuartetError } from '@quartet/core/errors';
import { Command, CommanderError, Option } from 'commander';
import type { loadConfig as LoadConfig } from './config.js';
import { safeError } from './plugins/log-safety.js';

// Commands, configuration (zod) and everything under them are imported in the action that needs them, so that
// `--help` and usage errors start as fast as a bare node (docs/benchmarks.md, cold start).
const loadConfig = async (...args: Parameters<typeof LoadConfig>) => (await import('./config.js')).loadConfig(...args);

const out = (line: string) => process.stdout.write(`${line}\n`);
/** Notices (a database file made private) go to stderr, before the command's own output. */
const warn = (warnings: readonly string[]) => warnings.forEach((line) => process.stderr.write(`shop-api: ${line}\n`));
const dbOption = () => new Option('--db <path>', 'SQLite file (default: $SHOP_DB, then <data dir>/shop.db)');
const urlOption = () =>
  new Option('--database-url <url>', 'use PostgreSQL at postgres://... instead of SQLite (default: $DATABASE_URL)');
type DbOpts = { db?: string; databaseUrl?: string };
const dbFlags = (opts: DbOpts) => ({ db: opts.db, databaseUrl: opts.databaseUrl });

// exitOverride: commander throws instead of exiting, so usage errors reach fail() and exit 2 like other bad input.
const program = new Command('shop-api')
  .description('A REST e-commerce backend on Fastify and SQLite or PostgreSQL')
  .exitOverride();

program
  .command('serve', { isDefault: true })
  .description('start the HTTP server (the default command)')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on; 0 picks a free one', '3000')
  .addOption(dbOption())
  .addOption(urlOption())
  .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default: $LOG_LEVEL, then info)')
  .action(async (opts: DbOpts & { host: string; port: string; logLevel?: string }) => {
    const config = await loadConfig({ ...dbFlags(opts), logLevel: opts.logLevel });
    const [{ parseWith }, { z }, { serve }] = await Promise.all([
      import('@quartet/core/validation'),
      import('zod'),
      import('./commands/serve.js'),
    ]);
    const port = parseWith(z.coerce.number().int().min(0).max(65535), opts.port);
    const server = await serve(config, { host: opts.host, port });
    warn(server.warnings);
    out(`shop-api listening on ${server.url}`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      server.close().then(
        () => process.exit(0),
        (error: unknown) => fail(error),
      );
    };
    // A repeated signal while closing is ignored: in-flight requests still get to finish.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program
  .command('worker')
  .description('send the order e-mails that serve publishes to RabbitMQ ($SHOP_AMQP_URL)')
  .option('--replay-dead', 'put every dead-lettered e-mail back on the queue (attempts reset), print how many, exit')
  .addOption(dbOption())
  .addOption(urlOption())
  .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent (default: $LOG_LEVEL, then info)')
  .action(async (opts: DbOpts & { replayDead?: boolean; logLevel?: string }) => {
    const config = await loadConfig({ ...dbFlags(opts), logLevel: opts.logLevel });
    const { worker, replayDeadCommand } = await import('./commands/worker.js');
    if (opts.replayDead) {
      out(`replayed ${await replayDeadCommand(config)} dead message(s)`);
      return;
    }
    const running = await worker(config);
    warn(running.warnings);
    out(`shop-api worker consuming; e-mails go to ${running.transport}`);
    // SIGTERM/SIGINT: stop consuming, finish the message in hand, close, exit 0.
    const stop = () => void running.stop();
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    await running.done;
    process.exit(0);
  });

program
  .command('migrate')
  .description('create or upgrade the database')
  .addOption(dbOption())
  .addOption(urlOption())
  .action(async (opts: DbOpts) => {
    const { migrate } = await import('./commands/migrate.js');
    const { target, applied, warnings } = await migrate(await loadConfig(dbFlags(opts)));
    warn(warnings);
    out(`${target}: ${applied} migration(s) applied`);
  });

program
  .command('seed')
  .description('load the demo catalog (about 50 products); safe to run again')
  .addOption(dbOption())
  .addOption(urlOption())
  .action(async (opts: DbOpts) => {
    const { seed } = await import('./commands/seed.js');
    const { inserted, total, warnings } = await seed(await loadConfig(dbFlags(opts)));
    warn(warnings);
    out(`seeded ${inserted} new product(s); ${total - inserted} already present`);
  });

program
  .command('admin')
  .description('manage administrators')
  .command('create <email>')
  .description('create an administrator, or promote an existing user')
  .option('--name <name>', 'display name (default: the part of the email before @)')
  .option('--password-stdin', 'read the password from standard input')
  .addOption(dbOption())
  .addOption(urlOption())
  .action(async (email: string, opts: DbOpts & { name?: string; passwordStdin?: boolean }) => {
    const config = await loadConfig(dbFlags(opts));
    const { adminCreate } = await import('./commands/admin-create.js');
    const result = await adminCreate(config, {
      email,
      name: opts.name,
      password: async () => {
        if (opts.passwordStdin) return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
        if (config.adminPassword !== undefined) return config.adminPassword;
        const { password } = await import('@inquirer/prompts');
        return password({ message: `Password for ${email}:` });
      },
    });
    warn(result.warnings);
    out(`${result.action} administrator ${result.user.email} (${result.user.id})`);
  });

function fail(error: unknown): never {
  // Commander has already printed its one-line message (or the help that was asked for).
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (isQuartetError(error)) {
    process.stderr.write(`shop-api: ${error.message}\n`);
    process.exit(EXIT_CODES[error.kind]);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    process.stderr.write(`shop-api: cannot listen: ${(error as Error).message}\n`);
    process.exit(6);
  }
  if (error instanceof Error && error.name === 'ExitPromptError') process.exit(130);
  // Without the values a failed query carries (a password hash, an email): see plugins/log-safety.ts.
  const shown = safeError(error) as { stack?: string; message?: string } | undefined;
  process.stderr.write(`shop-api: unexpected error\n${shown?.stack ?? shown?.message ?? String(error)}\n`);
  process.exit(1);
}

program.parseAsync(process.argv).catch(fail);
