import { AsyncLocalStorage } from 'node:async_hooks';
import type { Outgoing } from './outgoing.js';

/** The lines a labeled command sends its own connection while it runs, held back to go out as one response. */
interface Capture {
  readonly owner: object;
  readonly lines: Outgoing[];
  open: boolean;
}

// The context follows a handler through its awaits, and only there: lines that other clients' commands or other
// servers' events send the same connection meanwhile are not part of the response, and go out as they come.
const captures = new AsyncLocalStorage<Capture>();
/** Captures open now; while there are none, `held` costs a comparison (it runs for every line sent). */
let openCaptures = 0;

/** True when the line belongs to a labeled response being collected for `owner`: it is kept, not sent. */
export function held(owner: object, outgoing: Outgoing): boolean {
  if (openCaptures === 0) return false;
  const capture = captures.getStore();
  // A timer set by a handler (the first PING after USER) carries the context on, but its capture has closed.
  if (capture === undefined || !capture.open || capture.owner !== owner) return false;
  capture.lines.push(outgoing);
  return true;
}

/** Run a command, sync or async, and hand `done` the lines it sent `owner`, once it has finished. */
export function capturing(
  owner: object,
  run: () => void | Promise<void>,
  done: (lines: readonly Outgoing[]) => void,
): void | Promise<void> {
  const capture: Capture = { owner, lines: [], open: true };
  openCaptures += 1;
  const finish = () => {
    capture.open = false;
    openCaptures -= 1;
    done(capture.lines);
  };
  let result: void | Promise<void>;
  try {
    result = captures.run(capture, run);
  } catch (error) {
    finish();
    throw error;
  }
  if (result instanceof Promise) return result.finally(finish);
  finish();
}
