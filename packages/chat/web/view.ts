import { linkify } from './links.js';
import { sortedMembers } from './members.js';
import type { ChatLine, Conversation } from './conversation.js';
import type { ChatState } from './state.js';

/**
 * The page, drawn from ChatState. Everything people type is set with textContent (never innerHTML), and links only
 * as an href the URL parser produced (see links.ts).
 */
export interface ViewActions {
  select(name: string): void;
  /** Open (or go to) the private conversation with a member. */
  talkTo(nick: string): void;
  leave(name: string): void;
  /** The message list was scrolled to its top: time to fetch older messages. */
  scrolledToTop(): void;
}

export class View {
  readonly messages = byTestId<HTMLOListElement>('messages');
  private readonly channels = byTestId<HTMLUListElement>('channels');
  private readonly members = byTestId<HTMLUListElement>('members');
  private readonly status = byTestId<HTMLElement>('status');
  private readonly title = byId<HTMLElement>('title');
  private readonly topic = byTestId<HTMLElement>('topic');
  private shown: { conversation: Conversation | undefined; first: ChatLine | undefined } = {
    conversation: undefined,
    first: undefined,
  };

  constructor(private readonly actions: ViewActions) {
    this.messages.addEventListener('scroll', () => {
      if (this.messages.scrollTop <= 0) actions.scrolledToTop();
    });
    // A list too short to scroll never fires `scroll`: a wheel turned upwards at the top asks as well.
    this.messages.addEventListener('wheel', (event) => {
      if (event.deltaY < 0 && this.messages.scrollTop <= 0) actions.scrolledToTop();
    });
  }

  setStatus(text: string): void {
    this.status.textContent = text;
    this.status.dataset['state'] = text.split(',')[0] ?? text;
  }

  render(state: ChatState): void {
    const conversation = state.currentConversation;
    this.renderChannels(state);
    this.title.textContent = conversation.name;
    this.topic.textContent = conversation.topic;
    this.members.replaceChildren(
      ...sortedMembers(conversation.members).map(([nick, status]) => {
        const item = element('li', `${status}${nick}`, status === '@' ? 'op' : status === '+' ? 'voice' : '');
        item.dataset['nick'] = nick;
        item.title = `Talk privately with ${nick}`;
        item.addEventListener('click', () => this.actions.talkTo(nick));
        return item;
      }),
    );
    this.renderMessages(conversation);
  }

  private renderChannels(state: ChatState): void {
    this.channels.replaceChildren(
      ...[...state.conversations.values()].map((conversation) => {
        const item = element('li', '', conversation === state.currentConversation ? 'current' : '');
        item.dataset['channel'] = conversation.name;
        item.dataset['unread'] = String(conversation.unread);
        const name = element('button', conversation.name, 'name');
        name.type = 'button';
        name.addEventListener('click', () => this.actions.select(conversation.name));
        item.append(name);
        if (conversation.unread > 0) item.append(element('span', String(conversation.unread), 'unread'));
        if (conversation.kind !== 'server') {
          const leave = element('button', '×', 'leave');
          leave.type = 'button';
          leave.title = conversation.kind === 'channel' ? `Leave ${conversation.name}` : 'Close';
          leave.setAttribute('aria-label', leave.title);
          leave.addEventListener('click', () => this.actions.leave(conversation.name));
          item.append(leave);
        }
        return item;
      }),
    );
  }

  /**
   * Redrawn whole (a conversation holds at most a few thousand lines). Where the list stays: at the bottom when it
   * was there; over the same lines when older ones were put above them; else where it was.
   */
  private renderMessages(conversation: Conversation): void {
    const list = this.messages;
    const switched = this.shown.conversation !== conversation;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 4;
    const prepended = !switched && this.shown.first !== conversation.lines[0];
    const fromBottom = list.scrollHeight - list.scrollTop;
    const fromTop = list.scrollTop;
    list.replaceChildren(...conversation.lines.map(renderLine));
    this.shown = { conversation, first: conversation.lines[0] };
    if (switched || atBottom) list.scrollTop = list.scrollHeight;
    else if (prepended) list.scrollTop = list.scrollHeight - fromBottom;
    else list.scrollTop = fromTop;
  }
}

function renderLine(line: ChatLine): HTMLLIElement {
  const item = element('li', '', `line ${line.kind}`);
  item.dataset['nick'] = line.nick;
  const time = element('time', formatTime(line.time), 'time');
  time.dateTime = line.time;
  const who =
    line.kind === 'message'
      ? `<${line.nick}>`
      : line.kind === 'action'
        ? `* ${line.nick}`
        : line.nick
          ? `-${line.nick}-`
          : '';
  const nick = element('span', line.kind === 'event' || line.kind === 'error' ? '' : who, 'nick');
  const text = element('span', '', 'text');
  for (const segment of linkify(line.text)) {
    if ('href' in segment) {
      const link = element('a', segment.text, 'link');
      link.href = segment.href;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      text.append(link);
    } else text.append(segment.text);
  }
  item.append(time, nick, text);
  return item;
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? ''
    : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string, className: string) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

function byTestId<T extends HTMLElement>(id: string): T {
  const node = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!node) throw new Error(`index.html has no [data-testid="${id}"]`);
  return node;
}

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no #${id}`);
  return node as T;
}
