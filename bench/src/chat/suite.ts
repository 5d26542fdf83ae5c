import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findPeer } from '../lib/peers.js';
import type { SuiteResult, Table } from '../lib/report.js';
import { freePort, rssMiB, startServer, type RunningServer } from '../lib/server.js';
import { median, ratio } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';
import { fanout, fullyDelivered, sustained, type Step, type StepResult } from './fanout.js';
import { openClient, openMany } from './ircClient.js';
import { startNgircd } from './ngircd.js';

const P99_TARGET_MS = 50;
const CLIENTS = 1000;
const IDLE_CLIENTS = 10_000;
/** The ladder runs this many times, alternating the servers, and each server's best round counts: on a shared machine, noise only ever makes a round worse. */
const ROUNDS = 2;
const STEPS: Step[] = [
  { senders: 25, rate: 1 },
  { senders: 50, rate: 1 },
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
  const bin = join(ctx.root, 'packages/chat/dist/server-cli.js');
  const ours: Starter = (port) =>
    startServer('chat-server', process.execPath, [...shebangFlags(bin), bin, ...oursArgs(port)], port, {
      ...process.env,
      LOG_LEVEL: 'silent',
    });
  const ngircd = findPeer('ngircd', 'ngircd');
  const servers: { name: string; start: Starter | undefined; skipped?: string }[] = [
    { name: 'quartet chat-server', start: ours },
    'path' in ngircd
      ? { name: 'ngIRCd', start: (port) => startNgircd(ngircd.path, port) }
      : { name: 'ngIRCd', start: undefined, skipped: ngircd.skipped },
  ];
  const clients = ctx.quick ? 100 : CLIENTS;
  const steps = ctx.quick ? STEPS.slice(2, 4).map((s) => ({ ...s, senders: s.senders / 10 })) : STEPS;

  const fanoutRows: (string | number)[][] = [];
  const best: Record<string, number> = {};
  const delivered: Record<string, { offered: number; p99: number }> = {};
  const cost: Record<string, number[]> = {};
  const idle: Record<string, number> = {};
  const idleAfterLoad: Record<string, number> = {};
  const raw: Record<string, StepResult[][]> = {};
  const rounds = ctx.quick ? 1 : ROUNDS;
  const idleCount = ctx.quick ? 1000 : IDLE_CLIENTS;
  for (const server of servers.filter((s) => !s.start)) {
    ctx.log(server.skipped ?? '');
    fanoutRows.push([server.name, '', server.skipped ?? 'skipped', '', '', '', '', '', '', '']);
  }
  // Alternate the servers round by round, so that a busy spell on the machine does not fall on one of them only.
  for (let round = 1; round <= rounds; round += 1) {
    for (const server of servers) {
      if (!server.start) continue;
      ctx.log(`${server.name}: fan-out, ${clients} clients, round ${round} of ${rounds}`);
      const running = await server.start(await freePort());
      try {
        const results = await fanout({
          host: '127.0.0.1',
          port: running.port,
          clients,
          steps,
          seconds: ctx.quick ? 2 : 3,
          drainMs: 3000,
          stopOn: 'delivery',
          p99TargetMs: P99_TARGET_MS,
          serverPid: running.child.pid ?? 0,
          warmupMessages: clients,
          log: ctx.log,
        });
        (raw[server.name] ??= []).push(results);
        best[server.name] = Math.max(
          best[server.name] ?? 0,
          ...results.filter((r) => sustained(r, P99_TARGET_MS)).map((r) => r.offeredPerSec),
        );
        for (const r of results.filter(fullyDelivered)) {
          const seen = delivered[server.name];
          if (!seen || r.offeredPerSec > seen.offered || (r.offeredPerSec === seen.offered && r.p99Ms < seen.p99)) {
            delivered[server.name] = { offered: r.offeredPerSec, p99: r.p99Ms };
          }
        }
        // CPU per delivery depends on the load (batches grow with it): compare at the top step only.
        const top = steps[steps.length - 1]!;
        (cost[server.name] ??= []).push(
          ...results.filter((r) => r.senders === top.senders && r.rate === top.rate).map((r) => r.serverUsPerDelivery),
        );
        for (const r of results) {
          fanoutRows.push([
            server.name,
            round,
            `${r.senders} × ${r.rate}/s`,
            r.offeredPerSec,
            `${((100 * r.delivered) / Math.max(1, r.expected)).toFixed(2)}%`,
            r.p50Ms,
            r.p99Ms,
            `${Math.round(r.serverCpu * 100)}%`,
            Number(r.serverUsPerDelivery.toFixed(2)),
            `${Math.round(r.loadgenCpu * 100)}%`,
          ]);
        }
        if (round === rounds) idleAfterLoad[server.name] = await idleRss(running, idleCount, ctx);
      } finally {
        await running.stop();
      }
    }
  }
  // The idle target is about idle clients: measure it on a freshly started server too, not only after the load.
  for (const server of servers) {
    if (!server.start) continue;
    const running = await server.start(await freePort());
    try {
      idle[server.name] = await idleRss(running, idleCount, ctx);
    } finally {
      await running.stop();
    }
  }

  const oursBest = best['quartet chat-server'] ?? 0;
  const peerBest = best['ngIRCd'];
  const oursIdle = idle['quartet chat-server'] ?? Number.NaN;
  const oursIdleAfterLoad = idleAfterLoad['quartet chat-server'] ?? Number.NaN;
  const topStep = steps[steps.length - 1]!;
  const topCost = (name: string) => median((cost[name] ?? []).filter(Number.isFinite));
  const tables: Table[] = [
    {
      title: `chat fan-out: ${clients} clients in one channel, every message to every other member`,
      columns: [
        'server',
        'round',
        'load',
        'offered deliveries/s',
        'delivered',
        'p50 ms',
        'p99 ms',
        'server CPU',
        'server µs/delivery',
        'loadgen CPU',
      ],
      rows: fanoutRows,
      notes: [
        `A step is sustained when 100% is delivered, nobody is disconnected and p99 ≤ ${P99_TARGET_MS} ms; the ladder goes on past latency failures and stops at the first step that loses a message or a client.`,
        'Server CPU is a share of one core; µs/delivery is server CPU time divided by deliveries, steady even when the machine is busy.',
      ],
    },
    {
      title: 'chat: highest sustained fan-out, CPU per delivery and idle memory',
      columns: [
        'server',
        'sustained deliveries/s (best round)',
        'highest load fully delivered (deliveries/s)',
        'its best p99 ms',
        `server µs/delivery at ${topStep.senders} × ${topStep.rate}/s (median of rounds)`,
        `RSS with ${idleCount} idle clients, fresh (MiB)`,
        `… after the fan-out (MiB)`,
      ],
      rows: servers.map((s) =>
        s.skipped
          ? [s.name, 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']
          : [
              s.name,
              best[s.name] ?? 0,
              delivered[s.name]?.offered ?? 0,
              delivered[s.name]?.p99 ?? Number.NaN,
              Number(topCost(s.name).toFixed(2)),
              Number((idle[s.name] ?? Number.NaN).toFixed(1)),
              Number((idleAfterLoad[s.name] ?? Number.NaN).toFixed(1)),
            ],
      ),
      notes: [
        `ours ÷ ngIRCd, sustained: ${peerBest === undefined ? 'skipped' : ratio(oursBest, peerBest)}; ` +
          `ngIRCd ÷ ours, CPU per delivery at ${topStep.senders} × ${topStep.rate}/s: ${peerBest === undefined ? 'skipped' : ratio(topCost('ngIRCd'), topCost('quartet chat-server'))}`,
      ],
    },
  ];
  return {
    tool: 'chat',
    tables,
    data: {
      steps: raw,
      best,
      serverUsPerDelivery: cost,
      idleRssMiB: idle,
      idleRssAfterLoadMiB: idleAfterLoad,
      clients,
    },
    targets: [
      {
        what: 'fan-out vs ngIRCd',
        value: peerBest === undefined ? 'skipped' : ratio(oursBest, peerBest),
        target: '≥ 1.5×',
        // When ngIRCd sustains no step at all the machine was too busy to compare: not a pass.
        met: peerBest === undefined ? 'skipped' : peerBest > 0 && oursBest >= 1.5 * peerBest,
      },
      {
        what: `${idleCount} idle clients RSS, fresh server`,
        value: `${oursIdle.toFixed(0)} MiB`,
        target: '≤ 150 MB',
        met: oursIdle * 1.048576 <= 150,
      },
      {
        // Not the target's wording, but what a server that has been busy holds: the heap keeps its high-water mark.
        what: `${idleCount} idle clients RSS, after the fan-out ladder`,
        value: `${oursIdleAfterLoad.toFixed(0)} MiB`,
        target: '≤ 150 MB',
        met: oursIdleAfterLoad * 1.048576 <= 150,
      },
    ],
  };
}

/** The Node flags on the bin's `#!/usr/bin/env -S node FLAGS` line: the server runs as `chat-server` would. */
function shebangFlags(file: string): string[] {
  const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node((?: --?[\w-]+(?:=\S+)?)*)\s*$/.exec(first);
  return match?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
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
