import type { ServerResponse } from 'node:http';

/** Process-wide serving state, shared by the readiness probe, the app and the shutdown sequence. */
export class Lifecycle {
  private isDraining = false;
  private readonly responses = new Set<ServerResponse>();
  private received = 0;

  get draining(): boolean {
    return this.isDraining;
  }

  /** Responses not finished yet. */
  get inFlight(): number {
    return this.responses.size;
  }

  /** Requests received since start. */
  get requestsReceived(): number {
    return this.received;
  }

  /** Notes a response in progress, so a shutdown can ask it to close its connection. */
  track(res: ServerResponse): void {
    if (this.isDraining) closeAfter(res);
    this.received += 1;
    this.responses.add(res);
    res.once('close', () => this.responses.delete(res));
  }

  /** Readiness turns false, and every answer from now on closes its keep-alive connection. */
  startDraining(): void {
    this.isDraining = true;
    for (const res of this.responses) closeAfter(res);
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
