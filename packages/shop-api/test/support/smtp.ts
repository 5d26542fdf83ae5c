import { startSmtpServer, type TestSmtp } from '@quartet/core/test-smtp';
import { onTestFinished } from 'vitest';

export type { ReceivedMail, SmtpBehaviour, TestSmtp } from '@quartet/core/test-smtp';

/** A real SMTP server on 127.0.0.1 (core's test-smtp), closed after the test. */
export async function startSmtp(): Promise<TestSmtp> {
  const smtp = await startSmtpServer();
  onTestFinished(() => smtp.close());
  return smtp;
}
