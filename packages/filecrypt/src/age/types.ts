/**
 * The seams of the age format (age-encryption.org/v1), after age's own Go
 * interfaces: a recipient wraps a file key into stanzas, an identity tries to
 * unwrap one from a header's stanzas. Each recipient type (X25519, scrypt,
 * mlkem768x25519) lives in its own module behind these two interfaces.
 */

/** One header stanza: `-> type args…` and its body (the raw bytes, not base64). */
export interface AgeStanza {
  type: string;
  /** The arguments after the type. */
  args: string[];
  body: Buffer;
}

export interface AgeRecipient {
  /** The stanza type it writes: 'X25519', 'scrypt' or 'mlkem768x25519'. */
  readonly type: string;
  wrap(fileKey: Buffer): AgeStanza[];
}

export interface AgeIdentity {
  /**
   * The 16-byte file key from the first stanza of its type that it can open,
   * or undefined when none is for it. A stanza of its own type that is
   * malformed (argument count, non-canonical base64, body length, a low-order
   * share) throws a header error instead, as the spec and its vectors demand.
   */
  unwrap(stanzas: readonly AgeStanza[]): Promise<Buffer | undefined>;
}

/** The file key is 16 bytes in age. */
export const AGE_FILE_KEY_BYTES = 16;
