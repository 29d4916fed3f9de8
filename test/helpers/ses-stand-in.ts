import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import startSesServer from 'aws-ses-v2-local';

/** A mail as the stand-in stored it (its GET /store). */
export interface StoredSesMail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
}

/**
 * aws-ses-v2-local in this process on a free local port: an HTTP server that speaks SES's v2 API
 * (POST /v2/email/outbound-emails, raw content included), so the SDK signs and sends real
 * requests. Its AWS credentials are made up; it only checks that a request is signed.
 */
export class SesStandIn {
  private constructor(private readonly server: Server) {}

  static async start(): Promise<SesStandIn> {
    return new SesStandIn(await startSesServer({ host: '127.0.0.1', port: 0 }));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Every mail sent to it so far. */
  async mails(): Promise<StoredSesMail[]> {
    const res = await fetch(`${this.endpoint}/store`);
    return ((await res.json()) as { emails: StoredSesMail[] }).emails;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
