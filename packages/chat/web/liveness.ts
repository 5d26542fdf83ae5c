/** Silence after which the client asks the server for a sign of life (the server pings idle clients at 90 s). */
export const IDLE_MS = 60_000;
/** How long an answer may take before the connection is taken for dead. */
export const ANSWER_MS = 20_000;

/**
 * Notices a connection that died without a close (a sleeping laptop, a dropped NAT mapping): after `IDLE_MS` with
 * nothing from the server it sends a PING, and if `ANSWER_MS` more pass in silence it declares the link dead, so
 * that the page reconnects instead of showing `connected` on a socket that will never speak again.
 */
export class Liveness {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  /** Something arrived: the link is alive; the wait starts again. */
  heard(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ping();
      this.timer = setTimeout(() => this.dead(), ANSWER_MS);
    }, IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
