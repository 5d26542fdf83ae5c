import { foldCase } from '../protocol/casemap.js';

/** The nick NickServ speaks as; nobody may take it (or one that folds to it). */
export const NICKSERV = 'NickServ';
/** `NickServ!NickServ@services.`: every NickServ NOTICE comes from here. */
export const NICKSERV_PREFIX = `${NICKSERV}!${NICKSERV}@services.`;

export function isServiceNick(nick: string): boolean {
  return foldCase(nick) === foldCase(NICKSERV);
}
