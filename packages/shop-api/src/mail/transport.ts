import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UnavailableError } from '@quartet/core';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { RenderedEmail } from './render.js';

/** Where rendered e-mails go: an SMTP server, or .eml files in a directory. */
export interface Transport {
  /** What the logs call it: `smtp://host:port` (without credentials) or `files in <dir>`. */
  readonly name: string;
  /** Throws UnavailableError when it cannot work at all (the SMTP server does not answer). */
  verify(): Promise<void>;
  send(email: RenderedEmail, envelope: { eventId: string; messageId: string; from: string }): Promise<void>;
  close(): void;
}

/** `<eventId@domain of the sender>`: the same event always gets the same Message-ID. */
export function messageIdFor(eventId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'shop-api';
  return `<${eventId}@${domain}>`;
}

function message(email: RenderedEmail, envelope: { messageId: string; from: string }): Mail.Options {
  return {
    from: envelope.from,
    to: { name: email.toName, address: email.to },
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId: envelope.messageId,
  };
}

export function smtpTransport(url: string): Transport {
  const where = new URL(url);
  const name = `${where.protocol}//${where.host}`;
  const transporter = nodemailer.createTransport(url);
  return {
    name,
    async verify() {
      try {
        await transporter.verify();
      } catch (error) {
        throw new UnavailableError(
          `cannot use the SMTP server at ${name}: ${(error as Error).message}`,
          'SMTP_UNAVAILABLE',
        );
      }
    },
    async send(email, envelope) {
      await transporter.sendMail(message(email, envelope));
    },
    close: () => transporter.close(),
  };
}

/**
 * One `<eventId>.eml` file per e-mail in `dir` (mode 0700, files 0600): written under a temporary
 * name and renamed, so that a reader never sees half a message.
 */
export function fileTransport(dir: string): Transport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    name: `files in ${dir}`,
    async verify() {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
    },
    async send(email, envelope) {
      const info = await builder.sendMail(message(email, envelope));
      const target = join(dir, `${envelope.eventId}.eml`);
      const temp = join(dir, `.${envelope.eventId}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temp, info.message as Buffer, { mode: 0o600, flag: 'wx' });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },
    close: () => builder.close(),
  };
}
