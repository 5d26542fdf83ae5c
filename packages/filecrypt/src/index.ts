/** Programmatic API: the engines without the CLI. */
export { encryptNative, type EncryptOptions, type KeySource } from './engine/encrypt.js';
export { decryptPayload } from './engine/decrypt.js';
export { readHeader, unlockHeader, type Credentials } from './engine/header.js';
export { encryptOpenssl, decryptOpenssl } from './engine/openssl.js';
export { ByteReader } from './io/reader.js';
export type { Sink } from './io/sink.js';
export { codes } from './errors.js';
export { EXIT } from './exit-codes.js';
