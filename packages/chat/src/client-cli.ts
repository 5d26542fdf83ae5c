#!/usr/bin/env node
import { ValidationError } from '@quartet/core/errors';
import { Command } from 'commander';
import { exitOnError } from './cli-errors.js';

const program = new Command('chat-client')
  .description('Join a chat-server (or any IRC server) from the terminal. Piped stdin: send each line, then quit.')
  .option('--host <host>', 'server address', '127.0.0.1')
  .option('--port <port>', 'server port (default 6667, or 6697 with --tls)')
  .option('--nick <nick>', 'nickname (asked for when missing)')
  .option('--channel <channel>', 'channel to join', '#lobby')
  .option('--tls', 'connect over TLS')
  .option('--ca <file>', 'also trust this PEM certificate (e.g. a self-signed server certificate)')
  .option('--insecure', 'do not verify the server certificate (prints a warning)')
  .exitOverride()
  .action(async (flags: Record<string, unknown>) => {
    // Loaded here, not at the top: `--help` and flag errors should not pay for zod and the client (cold start).
    const [{ loadClientConfig }, { INSECURE_WARNING, tlsConnector }] = await Promise.all([
      import('./config.js'),
      import('./client/tls-connect.js'),
    ]);
    const interactive = process.stdin.isTTY === true;
    const config = loadClientConfig(flags, interactive && process.stdout.isTTY === true);
    if (config.tls && !config.tls.verify) process.stderr.write(`chat-client: ${INSECURE_WARNING}\n`);
    const connect = config.tls && tlsConnector(config.tls);
    if (interactive) {
      const { runTerminal } = await import('./client/terminal.js');
      await runTerminal({ ...config, input: process.stdin, output: process.stdout, ...(connect && { connect }) });
      process.exit(0);
    }
    if (config.nick === undefined) throw new ValidationError('--nick is required when stdin is not a terminal');
    const { runBatch } = await import('./client/batch.js');
    await runBatch(
      {
        host: config.host,
        port: config.port,
        nick: config.nick,
        channel: config.channel,
        ...(connect && { connect }),
      },
      {
        input: process.stdin,
        out: (line) => process.stdout.write(`${line}\n`),
        err: (line) => process.stderr.write(`chat-client: ${line}\n`),
      },
    );
  });

program.parseAsync(process.argv).catch((error: unknown) => exitOnError('chat-client', error));
