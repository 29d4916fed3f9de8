import type { ServerResponse } from 'node:http';

/** Process-wide serving state, shared by the readiness probe, the app and the shutdown sequence. */
export class Lifecycle {
  private isDraining = false;
  private readonly inFlight = new Set<ServerResponse>();

  get draining(): boolean {
    return this.isDraining;
  }

  /** Notes a response in progress, so a shutdown can ask it to close its connection. */
  track(res: ServerResponse): void {
    if (this.isDraining) closeAfter(res);
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
  }

  /** Readiness turns false, and every answer from now on closes its keep-alive connection. */
  startDraining(): void {
    this.isDraining = true;
    for (const res of this.inFlight) closeAfter(res);
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('Connection', 'close');
}
