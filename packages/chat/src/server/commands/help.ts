import { ERR, RPL } from '../../protocol/numerics.js';
import type { Handler } from '../context.js';
import { HELP_TEXT } from '../help-text.js';

/** HELP and HELPOP: 704, 705…, 706 about one command, or the list of commands without a subject; 524 otherwise. */
export const help: Handler = (context, connection, params) => {
  const subject = params[0] ?? '';
  const lines = subject === '' ? index() : HELP_TEXT[subject.toUpperCase()];
  if (lines === undefined) {
    return context.reply(connection, ERR.HELPNOTFOUND, subject, 'No help available on this topic');
  }
  const shown = subject === '' ? '*' : subject;
  lines.forEach((line, at) => context.reply(connection, at === 0 ? RPL.HELPSTART : RPL.HELPTXT, shown, line));
  context.reply(connection, RPL.ENDOFHELP, shown, 'End of /HELP');
};

function index(): string[] {
  const names = Object.keys(HELP_TEXT).sort();
  const rows: string[] = [];
  for (let at = 0; at < names.length; at += 8) rows.push(names.slice(at, at + 8).join(' '));
  return ['Commands (HELP <command> for one of them):', ...rows];
}
