import { foldCase } from '../src/protocol/casemap.js';
import { prefixNick, type Message } from '../src/protocol/message.js';
import { parseInput } from '../src/protocol/user-input.js';
import { Connection } from './connection.js';
import { ChatState } from './state.js';
import { View } from './view.js';

/**
 * The page's entry: the login form starts a connection to the server the page came from; state follows the server's
 * lines, the view follows the state. /commands are chat-client's (src/protocol/user-input.ts), so both agree.
 */
const FIRST_CHANNEL = '#lobby';
const HISTORY_PAGE = 50;

const login = document.querySelector<HTMLFormElement>('#login')!;
const loginError = document.querySelector<HTMLElement>('#login-error')!;
const chat = document.querySelector<HTMLElement>('#chat')!;
const input = document.querySelector<HTMLInputElement>('[data-testid="message"]')!;
const join = document.querySelector<HTMLInputElement>('[data-testid="join"]')!;

let state = new ChatState();
let connection: Connection | undefined;
let everRegistered = false;
let renderQueued = false;

const view = new View({
  select(name) {
    state.select(name);
    render();
  },
  leave(name) {
    const conversation = state.find(name);
    if (conversation?.kind === 'channel' && conversation.joined) send({ command: 'PART', params: [conversation.name] });
    else state.close(name);
    render();
  },
  talkTo(nick) {
    if (nick !== state.nick) state.openQuery(nick);
    render();
  },
  scrolledToTop: fetchHistory,
});

login.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(login);
  const field = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
  const nick = field('nick').trim();
  if (!nick) return;
  state = new ChatState();
  everRegistered = false;
  loginError.textContent = '';
  login.hidden = true;
  chat.hidden = false;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Lines from a connection left behind (by /quit or a refused login) must not reach the new state.
  const session: Connection = new Connection(
    `${scheme}//${location.host}/`,
    { nick, password: field('password') },
    {
      message(message) {
        if (connection !== session) return;
        state.apply(message);
        if (message.command === 'JOIN' && foldCase(prefixNick(message.prefix)) === foldCase(state.nick)) {
          fetchLatest(message.params[0] ?? '');
        }
        render();
      },
      status(text) {
        if (connection === session) view.setStatus(text);
      },
      registered() {
        if (connection !== session) return;
        // After a reconnect: back into every channel we were in (the server forgot us).
        const channels = everRegistered ? state.joinedChannels() : [FIRST_CHANNEL];
        everRegistered = true;
        if (channels.length > 0) send({ command: 'JOIN', params: [channels.join(',')] });
        input.focus();
      },
      failed(reason) {
        if (connection !== session) return;
        chat.hidden = true;
        login.hidden = false;
        loginError.textContent = reason;
      },
    },
  );
  connection = session;
  connection.start();
  render();
});

document.querySelector<HTMLFormElement>('#join-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = join.value.trim();
  if (!name) return;
  send({ command: 'JOIN', params: [name.startsWith('#') || name.startsWith('&') ? name : `#${name}`] });
  join.value = '';
});

document.querySelector<HTMLFormElement>('#input-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const line = input.value;
  input.value = '';
  const current = state.currentConversation;
  const action = parseInput(line, {
    channel: current.kind === 'server' ? undefined : current.name,
    isOper: state.isOper,
  });
  switch (action.kind) {
    case 'send':
      action.messages.forEach(send);
      break;
    case 'quit':
      // Gone for good, until the form is sent again: no reconnecting.
      connection?.quit(action.reason);
      chat.hidden = true;
      login.hidden = false;
      break;
    case 'help':
      action.lines.forEach((text) => state.note(text));
      break;
    case 'error':
      state.note(action.text, 'error');
      break;
    case 'none':
      break;
  }
  render();
});

function send(message: Message): void {
  if (!connection?.open) {
    state.note('Not connected: the message was not sent', 'error');
    return render();
  }
  connection.send(message);
  // Without echo-message the server does not send our own messages back: show them as sent.
  if ((message.command === 'PRIVMSG' || message.command === 'NOTICE') && !connection.caps.has('echo-message')) {
    state.apply({ ...message, prefix: `${state.nick}!${state.nick}@web` });
  }
}

/**
 * A server with draft/chathistory does not replay history on JOIN to clients that have the capability: ask for the
 * latest page. After a reconnect this also fills in what was said meanwhile (lines already shown are kept once).
 */
function fetchLatest(channel: string): void {
  const conversation = state.find(channel);
  if (!conversation || !connection?.caps.has('draft/chathistory')) return;
  conversation.historyRequest = 'latest';
  connection.send({ command: 'CHATHISTORY', params: ['LATEST', conversation.name, '*', String(pageSize())] });
}

/** CHATHISTORY BEFORE the oldest line shown, one page at a time, when the server offers it. */
function fetchHistory(): void {
  const conversation = state.currentConversation;
  if (conversation.kind !== 'channel' || !conversation.joined) return;
  if (conversation.historyRequest !== undefined || conversation.historyDone) return;
  if (!connection?.open || !connection.caps.has('draft/chathistory')) return;
  const reference = state.oldestReference(conversation.name) ?? `timestamp=${new Date().toISOString()}`;
  conversation.historyRequest = 'before';
  connection.send({ command: 'CHATHISTORY', params: ['BEFORE', conversation.name, reference, String(pageSize())] });
}

function pageSize(): number {
  return state.historyLimit > 0 ? Math.min(HISTORY_PAGE, state.historyLimit) : HISTORY_PAGE;
}

/** Many lines arrive at once (a JOIN's names and history): draw once per frame. */
function render(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    view.render(state);
  });
}
