import { decryptOpenssl, encryptOpenssl } from '../engine/openssl.js';
import { usage } from '../errors.js';
import { resolvePassphrase } from '../commands/passphrase.js';
import type { FileFormat } from './format.js';

/** `openssl enc -aes-256-cbc -pbkdf2 -md sha256`: a passphrase only, no integrity protection, so always a warning. */
export const opensslFormat: FileFormat = {
  async prepareEncrypt({ source, settings, parameters }, context) {
    if (source.kind === 'directory') {
      throw usage('directories need the native or age format (openssl enc has no directory mode)');
    }
    const passphrase = await resolvePassphrase(settings, context, true);
    context.warn('warning: --format openssl has no integrity protection: changes to the file are not detected');
    return async (chunks, sink) => {
      await encryptOpenssl(chunks, sink, {
        passphrase,
        iterations: parameters.opensslIterations,
        ...(context.random ? { random: context.random } : {}),
      });
      return {};
    };
  },

  async open(reader, settings, context) {
    if (settings.restoreName) throw usage('--restore-name needs the native format; openssl files store no name');
    const passphrase = await resolvePassphrase(settings, context, false);
    context.warn('warning: an openssl-format file has no integrity protection: changes to it are not detected');
    return {
      tar: false,
      decrypt: async (sink) => {
        await decryptOpenssl(reader, sink, { passphrase, iterations: settings.opensslIterations });
        return undefined;
      },
    };
  },

  inspect(reader) {
    const head = reader.peek(Math.min(16, reader.buffered));
    return Promise.resolve([
      'format: openssl enc (Salted__): AES-256-CBC, key and IV from PBKDF2, no integrity protection',
      `salt: ${head.subarray(8).toString('hex')}`,
      'iterations: not recorded in the file (openssl default 10000; filecrypt default 600000)',
    ]);
  },
};
