/**
 * Channel mode strings (`+ntk-l key`), read as Modern IRC describes them: which letters take a parameter depends on
 * their type in CHANMODES and PREFIX. Pure functions; the server decides what each change does.
 */

/** Type A: lists, with a parameter to add or remove, none to list. */
export const LIST_MODES = 'beI';
/** Type B: a parameter both to set and to unset. */
export const ALWAYS_PARAM_MODES = 'k';
/** Type C: a parameter only to set. */
export const SET_PARAM_MODES = 'l';
/** Type D: flags. */
export const FLAG_MODES = 'Cimnst';
/** Membership modes (PREFIX): a nick as parameter. */
export const PREFIX_MODES = 'ov';

export type Sign = '+' | '-';

export interface ModeItem {
  readonly sign: Sign;
  readonly letter: string;
  /** The parameter the letter took, if it takes one and one was there. */
  readonly arg?: string;
  /** A letter this server does not know; it takes no parameter. */
  readonly unknown?: true;
}

/** Split a modestring and its parameters into one item per letter, in order. */
export function parseModeString(modestring: string, args: readonly string[]): ModeItem[] {
  const items: ModeItem[] = [];
  let sign: Sign = '+';
  let next = 0;
  for (const letter of modestring) {
    if (letter === '+' || letter === '-') {
      sign = letter;
      continue;
    }
    const known = takesParam(letter, sign);
    if (known === undefined) {
      items.push({ sign, letter, unknown: true });
      continue;
    }
    const arg = known ? args[next] : undefined;
    if (arg !== undefined) next += 1;
    items.push(arg === undefined ? { sign, letter } : { sign, letter, arg });
  }
  return items;
}

/** Whether the letter takes a parameter with this sign; undefined for an unknown letter. */
function takesParam(letter: string, sign: Sign): boolean | undefined {
  if (LIST_MODES.includes(letter) || ALWAYS_PARAM_MODES.includes(letter) || PREFIX_MODES.includes(letter)) return true;
  if (SET_PARAM_MODES.includes(letter)) return sign === '+';
  if (FLAG_MODES.includes(letter)) return false;
  return undefined;
}

/** `+nt-k` and its parameters, as one MODE line announces applied changes. */
export function formatModeChanges(changes: readonly ModeItem[]): [string, ...string[]] {
  let modes = '';
  let lastSign = '';
  const args: string[] = [];
  for (const change of changes) {
    if (change.sign !== lastSign) modes += change.sign;
    modes += change.letter;
    lastSign = change.sign;
    if (change.arg !== undefined) args.push(change.arg);
  }
  return [modes, ...args];
}
