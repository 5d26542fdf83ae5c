import { isIP, type Socket } from 'node:net';
import { connect } from 'node:tls';

/**
 * A connect function for ClientSession that speaks TLS. The certificate is
 * checked against the system's CAs plus `ca`, and its name against the host,
 * unless `verify` is false (--insecure).
 */
export function tlsConnector(options: { ca: Buffer | undefined; verify: boolean }) {
  return (host: string, port: number): Socket =>
    connect({
      host,
      port,
      ...(options.ca && { ca: options.ca }),
      rejectUnauthorized: options.verify,
      // SNI takes names only; an address is checked against the certificate's IP entries.
      ...(isIP(host) === 0 && { servername: host }),
    });
}

export const INSECURE_WARNING =
  'WARNING: --insecure: the server certificate is NOT verified. The connection is encrypted, but anyone ' +
  'between you and the server can impersonate it and read or change every message.';
