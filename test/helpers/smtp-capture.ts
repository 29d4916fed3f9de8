import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the capture server received it: its SMTP envelope and the parsed MIME message. */
export interface CapturedMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: string[];
  readonly parsed: ParsedMail;
}

/**
 * A real SMTP server on a free local port that keeps every message it accepts, for the SMTP
 * transport to talk to as it would to any server (no TLS, any or no login accepted).
 */
export class SmtpCapture {
  readonly mails: CapturedMail[] = [];
  /** How many SMTP connections (sessions) clients have opened. */
  sessions = 0;
  /** The next this many messages are refused with a temporary failure (451) after their DATA. */
  refuseNext = 0;
  /** While set, a message waits here after its DATA, neither accepted nor refused. */
  private hold: { reached: (sessionId: string) => void; released: Promise<void> } | undefined;
  private readonly closedSessions = new Set<string>();
  private readonly closeWaiters = new Map<string, () => void>();

  /**
   * Holds the next message after its DATA without answering it: `reached` resolves when one
   * waits, `clientGone` when its client's connection has closed (a killed process's socket is
   * closed by the kernel, but the server learns it a moment later), `release` lets it be
   * accepted, unless its client went away meanwhile (then the message was never accepted, as a
   * real server would not have answered it either).
   */
  holdNextMessage(): { reached: Promise<void>; clientGone: Promise<void>; release: () => void } {
    let release!: () => void;
    let sessionId!: (id: string) => void;
    const held = new Promise<string>((resolve) => (sessionId = resolve));
    this.hold = { reached: sessionId, released: new Promise<void>((resolve) => (release = resolve)) };
    const clientGone = held.then(
      (id) => new Promise<void>((resolve) => (this.closedSessions.has(id) ? resolve() : this.closeWaiters.set(id, resolve))),
    );
    return { reached: held.then(() => undefined), clientGone, release };
  }

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<SmtpCapture> {
    let capture: SmtpCapture | undefined;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      logger: false,
      onConnect(_session, callback) {
        if (capture) capture.sessions += 1;
        callback();
      },
      onClose(session) {
        capture?.closedSessions.add(session.id);
        capture?.closeWaiters.get(session.id)?.();
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          async (parsed) => {
            const hold = capture!.hold;
            if (hold) {
              capture!.hold = undefined;
              hold.reached(session.id);
              await hold.released;
              if (capture!.closedSessions.has(session.id)) return callback(new Error('the client went away'));
            }
            if (capture!.refuseNext > 0) {
              capture!.refuseNext -= 1;
              callback(Object.assign(new Error('mailbox busy, try again later'), { responseCode: 451 }));
              return;
            }
            capture!.mails.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    capture = new SmtpCapture(server);
    return capture;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
