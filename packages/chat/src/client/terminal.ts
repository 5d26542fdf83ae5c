import { clearLine, createInterface, cursorTo } from 'node:readline';
import { isValidNick } from '../protocol/casemap.js';
import type { Message } from '../protocol/message.js';
import { renderMessage } from '../protocol/render.js';
import { parseInput } from '../protocol/user-input.js';
import { nickColorizer } from './colors.js';
import { ClientSession, type MessageMeta, type SessionOptions } from './session.js';
import { markHistory } from './history-mark.js';

export interface TerminalOptions {
  readonly host: string;
  readonly port: number;
  readonly connect?: SessionOptions['connect'];
  readonly nick: string | undefined;
  readonly channel: string;
  readonly color: boolean;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
}

/**
 * The interactive client. Incoming lines are printed above the prompt and the
 * half-typed line is redrawn after them, so typing is never interrupted.
 */
export async function runTerminal(options: TerminalOptions): Promise<void> {
  const { output } = options;
  const rl = createInterface({ input: options.input, output, terminal: true, historySize: 500 });
  const paint = nickColorizer(options.color);
  const print = (line: string) => {
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(`${line}\n`);
    rl.prompt(true);
  };
  const ask = (question: string) => new Promise<string>((resolve) => rl.question(question, resolve));
  const askNick = async (question: string): Promise<string> => {
    for (;;) {
      const nick = (await ask(question)).trim();
      if (isValidNick(nick)) return nick;
      output.write('A nickname is 1–30 letters, digits or [ ] \\ ` _ ^ { | } -, not starting with a digit or -.\n');
    }
  };

  const nick = options.nick ?? (await askNick('Nickname: '));
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const updatePrompt = () => {
    rl.setPrompt(`[${session.currentChannel ?? session.nick}] `);
    rl.prompt(true);
  };

  const session = new ClientSession(
    {
      host: options.host,
      port: options.port,
      nick,
      channel: options.channel,
      reconnect: true,
      ...(options.connect && { connect: options.connect }),
    },
    {
      message(message: Message, meta: MessageMeta) {
        // The server's greeting before registration is meant for people on nc.
        if (!session.registered && message.command === 'NOTICE') return;
        // Dimmed history keeps its nicks uncoloured: a colour's reset would end the dimming.
        const text = renderMessage(message, {
          time: meta.time,
          currentChannel: session.currentChannel,
          ...(!meta.history && { nick: paint }),
        });
        if (text !== undefined) print(meta.history ? markHistory(text, options.color) : text);
        if (['JOIN', 'PART', 'KICK', 'NICK'].includes(message.command)) updatePrompt();
      },
      status: (text) => print(`* ${text}`),
      // The refusal itself (433/432) has just been printed as a message.
      nickRefused: () => askNick('Another nickname: '),
      registered: () => updatePrompt(),
      closed: (reason) => {
        print(`* Disconnected (${reason})`);
        finished();
      },
    },
  );

  let leaving = false;
  const leave = (reason: string) => {
    if (leaving) return;
    leaving = true;
    void session.quit(reason).then(() => {
      rl.close();
      finished();
    });
  };

  rl.on('line', (line) => {
    const action = parseInput(line, { channel: session.currentChannel, isOper: session.isOper });
    switch (action.kind) {
      case 'send':
        for (const message of action.messages) {
          session.send(message);
          // The server does not echo our own messages; show them as sent.
          if (message.command === 'PRIVMSG') showOwn(message);
        }
        break;
      case 'quit':
        return leave(action.reason);
      case 'help':
        action.lines.forEach(print);
        break;
      case 'error':
        print(`! ${action.text}`);
        break;
      case 'none':
        break;
    }
    rl.prompt();
  });
  // Ctrl-C and Ctrl-D leave cleanly, with a QUIT.
  rl.on('SIGINT', () => leave('Leaving'));
  rl.on('close', () => leave('Leaving'));

  const showOwn = (message: Message) => {
    const text = renderMessage(
      { prefix: `${session.nick}!me@local`, command: message.command, params: message.params },
      { time: new Date(), currentChannel: session.currentChannel, nick: paint },
    );
    if (text === undefined) return;
    const target = message.params[0] ?? '';
    print(target.startsWith('#') ? text : text.replace(/\*[^*]+\*/, `-> *${target}*`));
  };

  session.start();
  rl.setPrompt(`[${nick}] `);
  rl.prompt();
  await done;
}
