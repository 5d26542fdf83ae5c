import type { EncFormat } from '../config.js';
import type { FileFormat } from './format.js';

/** Each format's module is loaded only when a run uses it: every module costs resident memory. */
const LOAD: Readonly<Record<EncFormat, () => Promise<FileFormat>>> = {
  native: async () => (await import('./native.js')).nativeFormat,
  openssl: async () => (await import('./openssl.js')).opensslFormat,
  age: async () => (await import('./age.js')).ageFormat,
};

export function formatNamed(name: EncFormat): Promise<FileFormat> {
  return LOAD[name]();
}
