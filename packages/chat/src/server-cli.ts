#!/usr/bin/env node
import { Command } from 'commander';
import { exitOnError } from './cli-errors.js';
import { hashOperPassword } from './commands/passwd.js';
import { serve } from './commands/serve.js';
import { loadBcryptCost, loadServerConfig } from './config.js';

const program = new Command('chat-server')
  .description('A chat server on the IRC client protocol; people also join with plain nc.')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 picks a free one)', '6667')
  .option('--name <name>', 'server name shown to clients', 'quartet.local')
  .option('--motd <file>', 'message of the day, one line per line')
  .option('--oper-file <file>', 'operators, one name:<bcrypt hash> per line')
  .option('--max-clients <n>', 'connections allowed at once', '1000')
  .option('--max-per-ip <n>', 'connections allowed from one address', '10')
  .exitOverride()
  .action(async (flags: Record<string, unknown>) => {
    const running = await serve(loadServerConfig(flags));
    process.stdout.write(`chat-server listening on ${running.host}:${running.port}\n`);
    const stop = () => void running.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program
  .command('passwd')
  .description('prompt for a password and print an oper-file line name:<bcrypt hash>')
  .argument('<name>', 'operator name')
  .action(async (name: string) => {
    const line = await hashOperPassword(name, loadBcryptCost(), process.stdin);
    process.stdout.write(`${line}\n`);
  });

program.parseAsync(process.argv).catch((error: unknown) => exitOnError('chat-server', error));
