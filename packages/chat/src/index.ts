export { ChatServer, type ChatServerOptions } from './server/chat-server.js';
export { listenTcp, type Listener } from './server/listener.js';
export { DEFAULT_LIMITS, systemClock, type Clock, type Limits } from './server/clock.js';
export type { Delivery } from './server/delivery.js';
export { createOperList, parseOperFile, type OperList } from './server/opers.js';
export { parseMessage, formatMessage, type Message } from './protocol/message.js';
