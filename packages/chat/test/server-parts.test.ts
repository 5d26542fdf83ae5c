import type { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputScheduler } from '../src/server/output-scheduler.js';
import { SendQueue } from '../src/server/send-queue.js';
import type { Clock } from '../src/timing/clock.js';
import { FloodGate } from '../src/timing/flood.js';

function fakeSocket() {
  const writes: string[] = [];
  const socket = { writableLength: 0, destroyed: false, write: (data: Buffer) => writes.push(data.toString()) };
  return { socket, writes, asWritable: socket as unknown as Writable };
}

describe('SendQueue', () => {
  it('writes everything queued in one write', () => {
    const { writes, asWritable } = fakeSocket();
    const queue = new SendQueue(asWritable, 100);
    expect(queue.push(Buffer.from('a\r\n'))).toBe(true);
    expect(queue.push(Buffer.from('b\r\n'))).toBe(true);
    queue.flush();
    queue.flush();
    expect(writes).toEqual(['a\r\nb\r\n']);
  });

  it('refuses once queued bytes plus the socket backlog pass the limit', () => {
    const { socket, writes, asWritable } = fakeSocket();
    const queue = new SendQueue(asWritable, 10);
    socket.writableLength = 6;
    expect(queue.push(Buffer.from('1234'))).toBe(true);
    expect(queue.push(Buffer.from('5'))).toBe(false);
    queue.flush();
    expect(writes).toEqual([]);
  });
});

describe('OutputScheduler', () => {
  it('flushes each marked connection once per event-loop turn', async () => {
    const scheduler = new OutputScheduler();
    let flushes = 0;
    const target = { flush: () => (flushes += 1) };
    scheduler.mark(target);
    scheduler.mark(target);
    expect(flushes).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toBe(1);
    scheduler.mark(target);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toBe(2);
  });
});

describe('FloodGate', () => {
  it('allows a burst, then refills at the set rate on the injected clock', () => {
    let now = 1_000;
    const clock: Clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => undefined };
    const gate = new FloodGate(clock, 10, 2);
    expect(Array.from({ length: 11 }, () => gate.tryTake())).toEqual([...Array<boolean>(10).fill(true), false]);
    expect(gate.waitMs()).toBe(500);
    now += 499;
    expect(gate.tryTake()).toBe(false);
    now += 1;
    expect(gate.tryTake()).toBe(true);
    now += 60_000;
    expect(Array.from({ length: 11 }, () => gate.tryTake()).filter(Boolean)).toHaveLength(10);
  });
});
