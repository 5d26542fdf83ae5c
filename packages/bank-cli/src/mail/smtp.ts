/** Where and how bank sends e-mail. */
export interface MailSettings {
  smtpUrl: string;
  from: string;
  /** For each of connecting, the greeting and an idle socket: a dead server cannot hang a command. */
  timeoutMs?: number;
}

export interface PlainMail {
  to: string;
  subject: string;
  text: string;
  /** Set for notifications (stable per outbox row); nodemailer makes one up otherwise. */
  messageId?: string;
}

export interface MailSender {
  send(mail: PlainMail): Promise<void>;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * nodemailer is imported here, when there is mail to send, and nowhere else: every other command (and
 * `bank --version`, whose cold start is measured) never loads it.
 */
export async function openSmtp(settings: MailSettings): Promise<MailSender> {
  const { default: nodemailer } = await import('nodemailer');
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // One pooled connection: a drain of several e-mails greets the server once.
  const transporter = nodemailer.createTransport({
    url: settings.smtpUrl,
    pool: true,
    maxConnections: 1,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(mail) {
      await transporter.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.messageId === undefined ? {} : { messageId: mail.messageId }),
      });
    },
    close: () => transporter.close(),
  };
}
