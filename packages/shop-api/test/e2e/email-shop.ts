/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { serviceUrl } from '@quartet/core';
import amqp from 'amqplib';
import Database from 'better-sqlite3';
import { expect, onTestFinished } from 'vitest';
import { queueNames } from '../../src/mail/queue.js';
import { startSmtp } from '../support/smtp.js';
import { customerWithCart, until } from './pg-shop.js';
import { ADMIN_PASSWORD, CLI, call, login, runCli, startServer, tempShop } from './server.js';

type OutboxRow = {
  id: string;
  topic: string;
  orderId: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
};

function outboxRows(file: string): OutboxRow[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(
        'SELECT id, topic, order_id AS orderId, published_at AS publishedAt, attempts, last_error AS lastError FROM outbox ORDER BY created_at, id',
      )
      .all() as OutboxRow[];
  } finally {
    db.close();
  }
}

/** A SQLite shop with an administrator, ready for servers and workers given `extra` environment. */
export async function emailShop() {
  const shop = tempShop();
  const env = {
    ...shop.env,
    SHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SHOP_JWT_SECRET: 'email-secret-email-secret-email-0123',
  };
  expect((await runCli(['admin', 'create', 'admin@example.com'], env)).code).toBe(0);
  const mailDir = join(shop.dir, 'mail');
  let shoppers = 0;
  return {
    ...shop,
    env,
    mailDir,
    /** The .eml files in the data directory's mail/, by name. */
    emlFiles: () => readdirSync(mailDir).sort(),
    readEml: (name: string) => readFileSync(join(mailDir, name), 'utf8'),
    waitForEml: (count: number) =>
      until(() => {
        try {
          return Promise.resolve(readdirSync(mailDir).filter((f) => f.endsWith('.eml')).length >= count);
        } catch {
          return Promise.resolve(false);
        }
      }, `${count} .eml file(s)`),
    /** Until the first outbox row is marked published. */
    waitForPublished: () =>
      until(() => Promise.resolve(outboxRows(shop.db)[0]?.publishedAt != null), 'the row marked published'),
    /** The outbox as the database holds it, oldest first. */
    outbox: () => outboxRows(shop.db),
    async startServer(extra: Record<string, string> = {}) {
      const server = await startServer([], { ...env, ...extra });
      const adminToken = await login(server.url, 'admin@example.com', ADMIN_PASSWORD);
      return {
        ...server,
        /** A new customer orders one unit of a new product; the order id and the customer's token. */
        async placeOrder() {
          const { token } = await customerWithCart(server.url, adminToken, `shopper${++shoppers}@example.com`);
          const placed = await call(server.url, 'POST', '/api/v1/orders', { token });
          expect(placed.status).toBe(201);
          return { orderId: placed.json.id as string, token };
        },
      };
    },
  };
}

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Start `shop-api worker` and wait for the line that says it consumes. */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, 'worker'], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('shop-api worker consuming')) resolve();
    });
    void exited.then((code) => reject(new Error(`worker exited with ${code}: ${stderr}`)));
  });
  return { child, exited, stderr: () => stderr };
}

/** A shop whose serve publishes to RabbitMQ under queue names of this test's own (deleted afterwards). */
export async function brokerShop() {
  const shop = await emailShop();
  const prefix = `shop-test-${randomBytes(6).toString('hex')}`;
  const names = queueNames(prefix);
  const connection = await amqp.connect(serviceUrl('amqp'));
  const channel = await connection.createChannel();
  onTestFinished(async () => {
    for (const queue of [names.main, names.retry, names.dead]) await channel.deleteQueue(queue);
    await channel.deleteExchange(names.exchange);
    await connection.close();
  });
  const env = {
    ...shop.env,
    SHOP_AMQP_URL: serviceUrl('amqp'),
    SHOP_MAIL_QUEUE_PREFIX: prefix,
    SHOP_MAIL_RETRY_BASE_MS: '20',
  };
  const smtp = await startSmtp();
  const workerEnv = { ...env, SHOP_SMTP_URL: smtp.url, SHOP_MAIL_FROM: 'Shop <orders@shop.test>' };
  const messages = async (queue: string) => (await channel.checkQueue(queue)).messageCount;
  const consumers = async (queue: string) => (await channel.checkQueue(queue)).consumerCount;
  const server = await shop.startServer(env);
  return {
    ...shop,
    env,
    workerEnv,
    names,
    smtp,
    server,
    messages,
    consumers,
    startWorker: () => startWorker(workerEnv),
  };
}
