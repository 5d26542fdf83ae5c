export { ChatServer, type ChatServerOptions } from './server/chat-server.js';
export { listenTcp, type Listener } from './server/listener.js';
export { systemClock, type Clock } from './timing/clock.js';
export { DEFAULT_LIMITS, type Limits } from './server/limits.js';
export type { Delivery } from './server/delivery.js';
export { createOperList, parseOperFile, type OperList } from './server/opers.js';
export { parseMessage, formatMessage, type Message } from './protocol/message.js';
