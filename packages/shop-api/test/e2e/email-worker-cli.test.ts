import { describe, expect, it } from 'vitest';
import { runCli, tempShop } from './server.js';

describe('shop-api worker refuses to start with one clear line', () => {
  it.each([
    ['no SHOP_AMQP_URL', {}, 2, /^shop-api: worker needs SHOP_AMQP_URL/],
    [
      'a broker that does not answer',
      { SHOP_AMQP_URL: 'amqp://guest:secret@127.0.0.1:1' },
      6,
      /^shop-api: cannot connect to RabbitMQ at amqp:\/\/127\.0\.0\.1:1: /,
    ],
    [
      'an SMTP server that does not answer',
      { SHOP_AMQP_URL: 'amqp://127.0.0.1:1', SHOP_SMTP_URL: 'smtp://127.0.0.1:1' },
      6,
      /^shop-api: cannot use the SMTP server at smtp:\/\/127\.0\.0\.1:1: /,
    ],
  ])('%s', async (_name, extra, code, message) => {
    const result = await runCli(['worker'], { ...tempShop().env, ...extra });
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toContain('secret');
  });
});

describe('shop-api serve with a broker that does not answer', () => {
  it('exits 6 with one line, before listening', async () => {
    const result = await runCli(['serve', '--port', '0'], {
      ...tempShop().env,
      SHOP_AMQP_URL: 'amqp://guest:secret@127.0.0.1:1',
    });
    expect(result.code).toBe(6);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^shop-api: cannot connect to RabbitMQ at amqp:\/\/127\.0\.0\.1:1: .*\n$/);
  });
});
