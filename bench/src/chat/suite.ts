import { join } from 'node:path';
import { findPeer } from '../lib/peers.js';
import type { SuiteResult, Table } from '../lib/report.js';
import { freePort, rssMiB, startServer, type RunningServer } from '../lib/server.js';
import { ratio } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';
import { fanout, sustained, type Step, type StepResult } from './fanout.js';
import { openClient, openMany } from './ircClient.js';
import { startNgircd } from './ngircd.js';

const P99_TARGET_MS = 50;
const CLIENTS = 1000;
const IDLE_CLIENTS = 10_000;
const STEPS: Step[] = [
  { senders: 100, rate: 1 },
  { senders: 200, rate: 1 },
  { senders: 400, rate: 1 },
  { senders: 700, rate: 1 },
  { senders: 1000, rate: 1 },
  { senders: 1000, rate: 1.5 },
  { senders: 1000, rate: 2 },
];

type Starter = (port: number) => Promise<RunningServer>;

export async function chatSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const ours: Starter = (port) =>
    startServer(
      'chat-server',
      process.execPath,
      [join(ctx.root, 'packages/chat/dist/server-cli.js'), ...oursArgs(port)],
      port,
      {
        ...process.env,
        LOG_LEVEL: 'silent',
      },
    );
  const ngircd = findPeer('ngircd', 'ngircd');
  const servers: { name: string; start: Starter | undefined; skipped?: string }[] = [
    { name: 'quartet chat-server', start: ours },
    'path' in ngircd
      ? { name: 'ngIRCd', start: (port) => startNgircd(ngircd.path, port) }
      : { name: 'ngIRCd', start: undefined, skipped: ngircd.skipped },
  ];
  const clients = ctx.quick ? 100 : CLIENTS;
  const steps = ctx.quick ? STEPS.slice(0, 2).map((s) => ({ ...s, senders: s.senders / 10 })) : STEPS;

  const fanoutRows: (string | number)[][] = [];
  const best: Record<string, number> = {};
  const idle: Record<string, number> = {};
  const raw: Record<string, StepResult[]> = {};
  for (const server of servers) {
    if (!server.start) {
      ctx.log(server.skipped ?? '');
      fanoutRows.push([server.name, server.skipped ?? 'skipped', '', '', '', '', '']);
      continue;
    }
    ctx.log(`${server.name}: fan-out, ${clients} clients`);
    const running = await server.start(await freePort());
    try {
      const results = await fanout({
        host: '127.0.0.1',
        port: running.port,
        clients,
        steps,
        seconds: ctx.quick ? 2 : 5,
        drainMs: 3000,
        stopOnFailure: true,
        p99TargetMs: P99_TARGET_MS,
        log: ctx.log,
      });
      raw[server.name] = results;
      best[server.name] = Math.max(
        0,
        ...results.filter((r) => sustained(r, P99_TARGET_MS)).map((r) => r.offeredPerSec),
      );
      for (const r of results) {
        fanoutRows.push([
          server.name,
          `${r.senders} × ${r.rate}/s`,
          r.offeredPerSec,
          `${((100 * r.delivered) / Math.max(1, r.expected)).toFixed(2)}%`,
          r.p50Ms,
          r.p99Ms,
          `${Math.round(r.loadgenCpu * 100)}%`,
        ]);
      }
      idle[server.name] = await idleRss(running, ctx.quick ? 1000 : IDLE_CLIENTS, ctx);
    } finally {
      await running.stop();
    }
  }

  const oursBest = best['quartet chat-server'] ?? 0;
  const peerBest = best['ngIRCd'];
  const oursIdle = idle['quartet chat-server'] ?? Number.NaN;
  const tables: Table[] = [
    {
      title: `chat fan-out: ${clients} clients in one channel, every message to every other member`,
      columns: ['server', 'load', 'offered deliveries/s', 'delivered', 'p50 ms', 'p99 ms', 'loadgen CPU'],
      rows: fanoutRows,
      notes: [`A step is sustained when 100% is delivered, nobody is disconnected and p99 ≤ ${P99_TARGET_MS} ms.`],
    },
    {
      title: 'chat: highest sustained fan-out and idle memory',
      columns: ['server', 'sustained deliveries/s', `RSS with ${ctx.quick ? 1000 : IDLE_CLIENTS} idle clients (MiB)`],
      rows: servers.map((s) => [
        s.name,
        s.skipped ? 'skipped' : (best[s.name] ?? 0),
        s.skipped ? 'skipped' : (idle[s.name] ?? Number.NaN),
      ]),
      notes: [`ours ÷ ngIRCd: ${peerBest === undefined ? 'skipped' : ratio(oursBest, peerBest)}`],
    },
  ];
  return {
    tool: 'chat',
    tables,
    data: { steps: raw, best, idleRssMiB: idle, clients },
    targets: [
      {
        what: 'fan-out vs ngIRCd',
        value: peerBest === undefined ? 'skipped' : ratio(oursBest, peerBest),
        target: '≥ 1.5×',
        met: peerBest === undefined ? 'skipped' : oursBest >= 1.5 * peerBest,
      },
      {
        what: '10k idle clients RSS',
        value: `${oursIdle.toFixed(0)} MiB`,
        target: '≤ 150 MB',
        met: oursIdle * 1.048576 <= 150,
      },
    ],
  };
}

/** Our server with the per-IP and client caps raised: the load comes from one address. */
function oursArgs(port: number): string[] {
  return [
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--max-clients',
    '20000',
    '--max-per-ip',
    '20000',
    '--no-persist',
  ];
}

async function idleRss(server: RunningServer, count: number, ctx: SuiteContext): Promise<number> {
  ctx.log(`  ${server.name}: ${count} idle clients`);
  const runId = Math.random().toString(36).slice(2, 6);
  const clients = await openMany(count, (i) => openClient('127.0.0.1', server.port, `i${runId}${i}`, undefined, {}));
  try {
    return rssMiB(server.child.pid ?? 0);
  } finally {
    for (const client of clients) client.socket.destroy();
  }
}
