/**
 * A real SMTP server for the e-mail tests of the tools that send mail (shop-api's order e-mails, bank's
 * notifications): it records what it accepts, and can refuse (451) or hold a message's DATA phase to play
 * a failing or slow server. Test support, like services.ts; `smtp-server` is a development dependency.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  raw: string;
  messageId: string | undefined;
  subject: string | undefined;
  to: string[];
}

/** What the server does with the next message's DATA: take it, refuse it (451), or hold it open forever. */
export type SmtpBehaviour = 'accept' | 'refuse' | 'hold';

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** How many DATA phases began (accepted, refused or held). */
  attempts: number;
  /** Decides each attempt; default: accept. */
  behaviour: (attempt: number) => SmtpBehaviour;
  /** Resolves when `received` holds `count` messages. */
  waitForMail(count: number): Promise<ReceivedMail[]>;
  /** Resolves when `attempts` reaches `count`. */
  waitForAttempts(count: number): Promise<void>;
  /** Accept every message held so far. */
  release(): void;
  /** Stop listening and end the connections. */
  close(): Promise<void>;
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  return new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(head)?.[1]
    ?.replace(/\r?\n[ \t]/g, ' ')
    .trim();
}

/** A real SMTP server on 127.0.0.1 (no TLS, no auth), for tests; close() it afterwards. */
export async function startSmtpServer(): Promise<TestSmtp> {
  const waiters: (() => void)[] = [];
  const notify = () => waiters.splice(0).forEach((wake) => wake());
  const held: (() => void)[] = [];
  const smtp: TestSmtp = {
    url: '',
    received: [],
    attempts: 0,
    behaviour: () => 'accept',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    waitForMail: (count) =>
      new Promise((resolve) => {
        const check = () => (smtp.received.length >= count ? resolve(smtp.received) : waiters.push(check));
        check();
      }),
    release: () => held.splice(0).forEach((accept) => accept()),
    waitForAttempts: (count) =>
      new Promise((resolve) => {
        const check = () => (smtp.attempts >= count ? resolve() : waiters.push(check));
        check();
      }),
  };
  const server = new SMTPServer({
    authOptional: true,
    closeTimeout: 200,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const behaviour = smtp.behaviour(++smtp.attempts);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const accept = () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          smtp.received.push({
            raw,
            messageId: header(raw, 'Message-ID'),
            subject: header(raw, 'Subject'),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          });
          callback();
          notify();
        };
        if (behaviour === 'hold') {
          // No answer until release(): the client waits, as while a slow server holds the DATA phase.
          held.push(accept);
          notify();
          return;
        }
        if (behaviour === 'refuse') {
          notify();
          callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
          return;
        }
        accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return smtp;
}
