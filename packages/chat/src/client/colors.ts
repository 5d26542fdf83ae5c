/** One colour per nick, the same every time, so a conversation is easy to follow. */
const PALETTE = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

export function nickColorizer(enabled: boolean): (nick: string) => string {
  if (!enabled) return (nick) => nick;
  return (nick) => {
    let hash = 0;
    for (const char of nick.toLowerCase()) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
    return `\x1b[${PALETTE[hash % PALETTE.length]!}m${nick}\x1b[0m`;
  };
}
