import type { NativeClientClass } from './pg-native-client.js';

/** One statement as bank sent it: a named prepared statement executed with `values`, or a plain query. */
export interface SentStatement {
  text: string;
  values: unknown[];
  /** Set for prepared statements: the name bank gave it. */
  name?: string;
}

/**
 * Wraps pg-native's client methods so that `record(fn)` returns what `fn` sent, in order. Install it before bank
 * connects: bank prepares each statement once per session, and only the prepare carries the SQL text.
 * `uninstall()` puts the original methods back, so the timed runs pay nothing for the capture.
 */
export function installStatementCapture(Client: NativeClientClass) {
  const proto = Client.prototype;
  const original = { querySync: proto.querySync, prepareSync: proto.prepareSync, executeSync: proto.executeSync };
  const texts = new Map<string, string>();
  let sent: SentStatement[] | undefined;

  proto.querySync = function (text, values) {
    sent?.push({ text, values: [...(values ?? [])] });
    return original.querySync.call(this, text, values);
  };
  proto.prepareSync = function (name, text, nParams) {
    texts.set(name, text);
    return original.prepareSync.call(this, name, text, nParams);
  };
  proto.executeSync = function (name, values) {
    sent?.push({ name, text: texts.get(name) ?? '', values: [...values] });
    return original.executeSync.call(this, name, values);
  };

  return {
    record<T>(fn: () => T): { result: T; statements: SentStatement[] } {
      const statements: SentStatement[] = [];
      sent = statements;
      try {
        return { result: fn(), statements };
      } finally {
        sent = undefined;
      }
    },
    uninstall(): void {
      Object.assign(proto, original);
    },
  };
}
