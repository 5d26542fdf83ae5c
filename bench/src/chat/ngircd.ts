import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../lib/server.js';

/**
 * ngIRCd with its limits opened up to match the load: no connection caps
 * and no penalty throttling, so that it is measured at its best.
 */
export async function startNgircd(path: string, port: number): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-ngircd-'));
  const conf = join(dir, 'ngircd.conf');
  writeFileSync(
    conf,
    [
      '[Global]',
      'Name = bench.local',
      'Info = quartet bench peer',
      `Ports = ${port}`,
      'Listen = 127.0.0.1',
      'MotdPhrase = bench',
      '[Limits]',
      'MaxConnections = 0',
      'MaxConnectionsIP = 0',
      'MaxJoins = 0',
      'MaxNickLength = 30',
      'PingTimeout = 600',
      'PongTimeout = 600',
      'MaxPenaltyTime = 0',
      '[Options]',
      'PAM = no',
      'Ident = no',
      'DNS = no',
      '',
    ].join('\n'),
  );
  const server = await startServer('ngircd', path, ['-n', '-f', conf], port);
  const stop = server.stop.bind(server);
  return {
    ...server,
    async stop() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
