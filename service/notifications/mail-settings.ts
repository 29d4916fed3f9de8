import path from 'node:path';
import { plainEmailAddress } from '../auth/email-address';
import type { DatabaseSettings } from '../db/database-settings';
import type { EnvReader } from '../env-reader';

export const MAIL_TRANSPORTS = ['file', 'smtp', 'ses'] as const;
export type MailTransportKind = (typeof MAIL_TRANSPORTS)[number];

interface CommonMailSettings {
  /** The sender, `address` or `Name <address>` (MAIL_FROM). */
  readonly from: string;
  /**
   * Giving up on one send. The send runs inside the consumer's transaction, so it must end well
   * before PostgreSQL cuts an idle transaction (3 × DB_STATEMENT_TIMEOUT_MS): a send that finished
   * after that could never commit, and its mail would go out again on the retry.
   */
  readonly sendTimeoutMs: number;
}

/** Each message as an .eml file in `dir` (development): nothing leaves the machine. */
export interface FileMailSettings extends CommonMailSettings {
  readonly transport: 'file';
  readonly dir: string;
}

/** Any SMTP server (SMTP_URL: `smtp://` with STARTTLS when offered, or `smtps://`). */
export interface SmtpMailSettings extends CommonMailSettings {
  readonly transport: 'smtp';
  /** May hold a password: never logged. */
  readonly url: string;
}

/** Amazon SES's v2 API, with the task's own AWS credentials. */
export interface SesMailSettings extends CommonMailSettings {
  readonly transport: 'ses';
  readonly region: string;
  /** Another endpoint than AWS's (a local stand-in). */
  readonly endpoint: string | undefined;
}

export type MailSettings = FileMailSettings | SmtpMailSettings | SesMailSettings;

/** Used only by the file transport, whose mails go nowhere; ses and smtp must name a real sender. */
const DEVELOPMENT_SENDER = 'Order Service <orders@example.com>';

/**
 * MAIL_TRANSPORT picks how notifications leave: `file` outside production, `ses` in production,
 * where a mail written to a container's disk would reach nobody while counting as sent.
 */
export function readMailSettings(read: EnvReader, nodeEnv: string): MailSettings {
  const transport = read.oneOf('MAIL_TRANSPORT', MAIL_TRANSPORTS, nodeEnv === 'production' ? 'ses' : 'file');
  rejectStraySettings(read, transport);
  const sendTimeoutMs = read.integer('MAIL_SEND_TIMEOUT_MS', 10_000, { min: 100, max: 120_000 });
  const from = readSender(read, transport);
  switch (transport) {
    case 'file':
      return { transport, from, sendTimeoutMs, dir: path.resolve(read.string('MAIL_DIR') ?? 'db/mail') };
    case 'smtp':
      return { transport, from, sendTimeoutMs, url: readSmtpUrl(read) };
    case 'ses':
      return { transport, from, sendTimeoutMs, region: readRegion(read), endpoint: readEndpoint(read) };
  }
}

/** The settings only one transport reads (AWS_REGION is not among them: other AWS clients read it too). */
const SETTINGS_OF: Readonly<Record<string, MailTransportKind>> = { MAIL_DIR: 'file', SMTP_URL: 'smtp', SES_ENDPOINT: 'ses' };

/**
 * SMTP_URL with the file transport is a half-made SMTP configuration, not a wish for files: the
 * mails would quietly go elsewhere than meant, so the start names it.
 */
function rejectStraySettings(read: EnvReader, transport: MailTransportKind): void {
  for (const [name, owner] of Object.entries(SETTINGS_OF)) {
    if (owner !== transport && read.string(name) !== undefined) {
      read.problem(`${name} is a setting of MAIL_TRANSPORT=${owner}, but the transport is ${transport}: set MAIL_TRANSPORT=${owner}, or remove it`);
    }
  }
}

function readSender(read: EnvReader, transport: MailTransportKind): string {
  const from = read.string('MAIL_FROM');
  if (from === undefined) {
    if (transport === 'file') return DEVELOPMENT_SENDER;
    read.problem(`MAIL_FROM is required when MAIL_TRANSPORT=${transport}: the sender, such as "Shop <orders@shop.example.com>"`);
    return '';
  }
  // `Name <address>` or a bare address; the address itself plain (see email-address.ts).
  const address = /<([^<>]*)>$/.exec(from)?.[1] ?? from;
  if (plainEmailAddress(address) === undefined || /[\x00-\x1F\x7F]/.test(from)) {
    read.problem(`MAIL_FROM must be an address or "Name <address>" (got "${from}")`);
  }
  return from;
}

/** The URL is never repeated in a message: it may carry a password. */
function readSmtpUrl(read: EnvReader): string {
  const url = read.string('SMTP_URL');
  if (url === undefined) {
    read.problem('SMTP_URL is required when MAIL_TRANSPORT=smtp, such as smtp://user:password@smtp.example.com:587');
    return '';
  }
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') read.problem('SMTP_URL must be an smtp:// or smtps:// URL');
  return url;
}

function readRegion(read: EnvReader): string {
  const region = read.string('AWS_REGION');
  if (region === undefined) read.problem('AWS_REGION is required when MAIL_TRANSPORT=ses (ECS sets it in every task)');
  return region ?? '';
}

function readEndpoint(read: EnvReader): string | undefined {
  const endpoint = read.string('SES_ENDPOINT');
  if (endpoint === undefined) return undefined;
  try {
    if (['http:', 'https:'].includes(new URL(endpoint).protocol)) return endpoint;
  } catch {
    // reported below
  }
  read.problem(`SES_ENDPOINT must be an http:// or https:// URL (got "${endpoint}")`);
  return endpoint;
}

/**
 * PostgreSQL cuts a session idle in a transaction after 3 × DB_STATEMENT_TIMEOUT_MS; a send
 * allowed to take longer could outlive its transaction (see sendTimeoutMs), so refuse the pair.
 */
export function checkSendTimeout(read: EnvReader, mail: MailSettings, database: DatabaseSettings): void {
  if (database.kind !== 'postgres' || mail.transport === 'file') return;
  const idleCutMs = 3 * database.statementTimeoutMs;
  if (mail.sendTimeoutMs >= idleCutMs) {
    read.problem(
      `MAIL_SEND_TIMEOUT_MS (${mail.sendTimeoutMs}) must be below 3 × DB_STATEMENT_TIMEOUT_MS (${idleCutMs}), ` +
        'after which PostgreSQL ends the transaction a mail is sent in',
    );
  }
}
