import fs from 'node:fs/promises';
import path from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { FileMailSettings, MailSettings } from './mail-settings';

/** One rendered mail to one recipient. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** The Message-ID header, `<...@...>`; SES replaces it with its own. */
  readonly messageId: string;
}

/** Sends mails; resolves once the transport has accepted one, with the id it gave it. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ readonly messageId: string }>;
  /** Releases connections; sends after it fail. */
  close(): void;
}

/**
 * The transport MAIL_TRANSPORT names, all through nodemailer, which composes the MIME message
 * (text and HTML alternatives, encoded headers) the same way for each: its SMTP transport, its
 * SES transport over @aws-sdk/client-sesv2's SendEmail, or its stream transport's raw message
 * written to a file.
 */
export function createMailer(settings: MailSettings, logger: Logger): Mailer {
  switch (settings.transport) {
    case 'smtp':
      return nodemailerMailer(
        nodemailer.createTransport({
          url: settings.url,
          // Connections kept open and reused: opening one costs a TCP handshake, the greeting,
          // EHLO and often the server's reverse DNS lookup (about 110 ms against smtp-server here,
          // 6 ms a mail once open), which capped a worker at about 8 mails a second.
          pool: true,
          maxConnections: 2,
          connectionTimeout: settings.sendTimeoutMs,
          greetingTimeout: settings.sendTimeoutMs,
          socketTimeout: settings.sendTimeoutMs,
        }),
        settings,
      );
    case 'ses': {
      // Credentials come from the SDK's default chain: the ECS task role in production.
      const sesClient = new SESv2Client({ region: settings.region, endpoint: settings.endpoint });
      return nodemailerMailer(nodemailer.createTransport({ SES: { sesClient, SendEmailCommand } }), settings, () => sesClient.destroy());
    }
    case 'file':
      return fileMailer(settings, logger);
  }
}

function nodemailerMailer(transporter: Transporter, settings: MailSettings, release?: () => void): Mailer {
  return {
    async send(mail) {
      const info = await transporter.sendMail({
        from: settings.from,
        ...mail,
        // Aborts the wait, and the SMTP conversation; an SES request already sent may still land.
        signal: AbortSignal.timeout(settings.sendTimeoutMs),
      });
      return { messageId: info.messageId };
    },
    close() {
      transporter.close();
      release?.();
    },
  };
}

/** Development: each message, as it would travel, in MAIL_DIR; a mail client opens the .eml. */
function fileMailer(settings: FileMailSettings, logger: Logger): Mailer {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(mail) {
      const info = await transporter.sendMail({ from: settings.from, ...mail });
      await fs.mkdir(settings.dir, { recursive: true });
      const file = path.join(settings.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${fileSafe(info.messageId)}.eml`);
      // wx: two messages never share a file, even with equal ids.
      await fs.writeFile(file, info.message as Buffer, { flag: 'wx' });
      logger.info({ file, messageId: info.messageId }, `mail written to ${file}`);
      return { messageId: info.messageId };
    },
    close() {
      transporter.close();
    },
  };
}

function fileSafe(messageId: string): string {
  return messageId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
}
