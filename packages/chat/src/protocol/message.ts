/**
 * IRC messages as values: `[@tags] [:prefix] COMMAND params... [:trailing]`.
 * Pure functions only; the server and the client both parse and format here.
 */
export interface Message {
  /** IRCv3 message tags (`@time=…;batch=…`), unescaped; absent when the line had none. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly prefix?: string;
  /** Upper-cased for words; numerics stay as their three digits. */
  readonly command: string;
  readonly params: readonly string[];
}

/** 512 bytes including CRLF (RFC 1459 §2.3). */
export const MAX_LINE_BYTES = 512;

/** IRCv3 message-tags: a client may send at most 4094 bytes of tag data (without the `@` and the space). */
export const MAX_CLIENT_TAG_BYTES = 4094;

/** Parse one line (without CR LF). Returns undefined for a line with no command. */
export function parseMessage(line: string): Message | undefined {
  let rest = line;
  let tags: Record<string, string> | undefined;
  if (rest.startsWith('@')) {
    const end = rest.indexOf(' ');
    tags = parseTags(end === -1 ? rest.slice(1) : rest.slice(1, end));
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  let prefix: string | undefined;
  if (rest.startsWith(':')) {
    const end = rest.indexOf(' ');
    prefix = end === -1 ? rest.slice(1) : rest.slice(1, end);
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  rest = rest.replace(/^ +/, '');
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    if (command !== '' && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const end = rest.indexOf(' ');
    const word = end === -1 ? rest : rest.slice(0, end);
    if (command === '') command = word;
    else params.push(word);
    rest = end === -1 ? '' : rest.slice(end + 1).replace(/^ +/, '');
  }
  if (command === '') return undefined;
  return {
    ...(tags && { tags }),
    ...(prefix !== undefined && { prefix }),
    command: command.toUpperCase(),
    params,
  };
}

/**
 * Format without CR LF. The last parameter gets a ':' when it needs one (empty, has a space, starts with ':');
 * `forceTrailing` adds it anyway, which some clients expect on text such as PRIVMSG bodies.
 */
export function formatMessage(message: Message, forceTrailing = false): string {
  const parts: string[] = [];
  if (message.tags !== undefined) parts.push(`@${formatTags(message.tags)}`);
  if (message.prefix !== undefined) parts.push(`:${message.prefix}`);
  parts.push(message.command);
  const { params } = message;
  params.forEach((param, index) => {
    const last = index === params.length - 1;
    if (last && (forceTrailing || param === '' || param.includes(' ') || param.startsWith(':'))) {
      parts.push(`:${param}`);
    } else {
      parts.push(param);
    }
  });
  return parts.join(' ');
}

/** `nick!user@host` split into its nick, or the whole prefix when it is a server name. */
export function prefixNick(prefix: string | undefined): string {
  if (prefix === undefined) return '';
  const bang = prefix.indexOf('!');
  return bang === -1 ? prefix : prefix.slice(0, bang);
}

/** `time=2026-01-01T00:00:00.000Z;batch=1`, values escaped as IRCv3 message-tags says. */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([key, value]) => (value === '' ? key : `${key}=${value.replace(/[\\; \r\n]/g, escapeTagChar)}`))
    .join(';');
}

export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const item of text.split(';')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq === -1 ? item : item.slice(0, eq);
    tags[key] = eq === -1 ? '' : item.slice(eq + 1).replace(/\\(.?)/g, (_, c: string) => TAG_UNESCAPES[c] ?? c);
  }
  return tags;
}

const TAG_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  ';': '\\:',
  ' ': '\\s',
  '\r': '\\r',
  '\n': '\\n',
};
const TAG_UNESCAPES: Readonly<Record<string, string>> = { ':': ';', s: ' ', r: '\r', n: '\n', '\\': '\\' };

function escapeTagChar(char: string): string {
  return TAG_ESCAPES[char] ?? char;
}
