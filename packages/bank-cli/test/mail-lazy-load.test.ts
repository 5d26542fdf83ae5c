import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN, PASSWORD, tempDir } from './helpers.js';
import { mailBank } from './email-helpers.js';
import { startSmtp } from './smtp-server.js';
import { withDatabase } from './test-database.js';

const TRACER = join(import.meta.dirname, 'fixtures', 'trace-imports.mjs');
const DIST_CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

/** Runs a bank entry file under the import tracer; returns the URLs of the modules it resolved. */
function traced(entry: string, args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const traceFile = join(tempDir(), 'trace.txt');
  return new Promise((resolve, reject) => {
    const full = withDatabase({
      PATH: process.env['PATH'] ?? '',
      BANK_BCRYPT_COST: '4',
      TRACE_FILE: traceFile,
      ...env,
    });
    execFile(process.execPath, ['--import', TRACER, entry, ...args], { env: full }, (error, _stdout, stderr) => {
      if (error) return reject(new Error(`bank ${args.join(' ')} failed: ${stderr}`));
      resolve(readFileSync(traceFile, 'utf8').trim().split('\n'));
    });
  });
}

/** Whether nodemailer was loaded: by name (unbundled), or inside a bundle chunk that holds its code. */
function loadsNodemailer(urls: string[]): boolean {
  return urls.some(
    (url) =>
      url.includes('/nodemailer/') ||
      (url.startsWith('file:') &&
        url.includes('/bundle/') &&
        readFileSync(fileURLToPath(url), 'utf8').includes('SMTPConnection')),
  );
}

describe('nodemailer is loaded only when there is mail to send', () => {
  it.each([
    ['dist/cli.js', DIST_CLI],
    ['the bundle', BIN],
  ])('bank --version does not load it (%s), and a command that sends does', async (_label, entry) => {
    expect(loadsNodemailer(await traced(entry, ['--version']))).toBe(false);
    const smtp = await startSmtp();
    const t = await mailBank(smtp.url);
    const env = { BANK_DB: t.file, BANK_USER: 'alice', BANK_PASSWORD: PASSWORD, BANK_SMTP_URL: smtp.url };
    expect(loadsNodemailer(await traced(entry, ['accounts'], env))).toBe(false); // nothing to send
    expect(loadsNodemailer(await traced(entry, ['profile', 'email', 'alice@example.test'], env))).toBe(true);
  });
});
