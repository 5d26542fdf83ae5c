import type { Message } from '../src/protocol/message.js';

/**
 * Connection registration as the web client does it: `CAP LS 302`, a `CAP REQ` for the capabilities it uses that the
 * server offers, SASL PLAIN when a password was given, then `CAP END`. Pure: lines in, lines to send out, so that
 * the same steps run against any server (one without `sasl` or `draft/chathistory` simply is not asked for them).
 */
const WANTED = [
  'server-time',
  'batch',
  'echo-message',
  'message-tags',
  'multi-prefix',
  'away-notify',
  'draft/chathistory',
] as const;

export type Step =
  | { readonly kind: 'send'; readonly messages: readonly Message[] }
  /** Registered: 001 arrived. */
  | { readonly kind: 'done' }
  /** Give up and do not retry: the account login failed, or the nickname is not allowed. */
  | { readonly kind: 'failed'; readonly reason: string };

export class Registration {
  /** What the server offered (name → value) and what it granted. */
  readonly offered = new Map<string, string | undefined>();
  readonly granted = new Set<string>();
  private nick: string;

  constructor(
    nick: string,
    private readonly password: string,
  ) {
    this.nick = nick;
  }

  start(): Message[] {
    return [
      { command: 'CAP', params: ['LS', '302'] },
      { command: 'NICK', params: [this.nick] },
      { command: 'USER', params: [this.nick, '0', '*', this.nick] },
    ];
  }

  /** One message from the server, before 001. */
  receive(message: Message): Step | undefined {
    const [, sub = '', ...rest] = message.params;
    switch (message.command) {
      case 'CAP':
        if (sub === 'LS') return this.listed(rest);
        if (sub === 'ACK') return this.acknowledged(rest[0] ?? '');
        if (sub === 'NAK') return send({ command: 'CAP', params: ['END'] });
        return undefined;
      case 'AUTHENTICATE':
        if (message.params[0] !== '+') return undefined;
        return send(
          ...authenticateChunks(plainCredentials(this.nick, this.password)).map((chunk) => ({
            command: 'AUTHENTICATE',
            params: [chunk],
          })),
        );
      case '903':
        return send({ command: 'CAP', params: ['END'] });
      case '902':
      case '904':
      case '905':
      case '906':
      case '908':
        return { kind: 'failed', reason: `Login failed: ${message.params.at(-1) ?? 'SASL authentication failed'}` };
      case '433':
        // Taken (perhaps by our own connection that has not timed out yet): try again with a suffix.
        this.nick = `${this.nick}_`;
        return send({ command: 'NICK', params: [this.nick] });
      case '432':
        return { kind: 'failed', reason: `The nickname is not allowed: ${message.params.at(-1) ?? ''}` };
      case '001':
        return { kind: 'done' };
      default:
        return undefined;
    }
  }

  /** `CAP * LS * :a b=c` continues on the next line; the last has no `*`. */
  private listed(rest: readonly string[]): Step | undefined {
    const more = rest.length > 1 && rest[0] === '*';
    for (const token of (rest.at(-1) ?? '').split(' ').filter(Boolean)) {
      const eq = token.indexOf('=');
      this.offered.set(eq === -1 ? token : token.slice(0, eq), eq === -1 ? undefined : token.slice(eq + 1));
    }
    if (more) return undefined;
    const wanted: string[] = WANTED.filter((name) => this.offered.has(name));
    const sasl = this.offered.get('sasl');
    if (this.password !== '' && this.offered.has('sasl') && (sasl === undefined || sasl.split(',').includes('PLAIN'))) {
      wanted.push('sasl');
    }
    if (wanted.length === 0) return send({ command: 'CAP', params: ['END'] });
    return send({ command: 'CAP', params: ['REQ', wanted.join(' ')] });
  }

  private acknowledged(list: string): Step {
    for (const name of list.split(' ').filter(Boolean)) {
      if (name.startsWith('-')) this.granted.delete(name.slice(1));
      else this.granted.add(name);
    }
    if (this.granted.has('sasl') && this.password !== '') {
      return send({ command: 'AUTHENTICATE', params: ['PLAIN'] });
    }
    return send({ command: 'CAP', params: ['END'] });
  }
}

/** SASL PLAIN: base64 of `authzid NUL authcid NUL password`, with the account (our nick) as authcid. */
export function plainCredentials(account: string, password: string): string {
  const bytes = new TextEncoder().encode(`\0${account}\0${password}`);
  return btoa(String.fromCharCode(...bytes));
}

/** The SASL spec: 400-byte pieces, and a lone `+` after a last piece that is exactly 400 bytes long. */
export function authenticateChunks(payload: string): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < payload.length; at += 400) chunks.push(payload.slice(at, at + 400));
  if (chunks.length === 0 || chunks.at(-1)!.length === 400) chunks.push('+');
  return chunks;
}

function send(...messages: Message[]): Step {
  return { kind: 'send', messages };
}
