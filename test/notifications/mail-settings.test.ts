import path from 'node:path';
import { ConfigError, loadConfig } from '../../service/config';

const COGNITO = {
  AUTH_JWKS_URL: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
  AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  AUTH_AUDIENCE: '4example0client0id0abc',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig: mail', () => {
  test('when nothing is set outside production, then mails are written as files into db/mail', () => {
    expect(loadConfig({}).mail).toEqual({
      transport: 'file',
      dir: path.resolve('db/mail'),
      from: 'Order Service <orders@example.com>',
      sendTimeoutMs: 10000,
    });
  });

  test('when NODE_ENV=production sets nothing for mail, then SES is the transport and its sender and region are required', () => {
    expect(problemsOf({ NODE_ENV: 'production', ...COGNITO })).toEqual([
      expect.stringMatching(/^MAIL_FROM is required when MAIL_TRANSPORT=ses/),
      expect.stringMatching(/^AWS_REGION is required when MAIL_TRANSPORT=ses/),
    ]);
  });

  test('when production names a sender and a region, then it sends through SES at AWS\'s endpoint', () => {
    const { mail } = loadConfig({ NODE_ENV: 'production', ...COGNITO, MAIL_FROM: 'Shop <orders@shop.example.com>', AWS_REGION: 'eu-west-1' });

    expect(mail).toEqual({ transport: 'ses', from: 'Shop <orders@shop.example.com>', region: 'eu-west-1', endpoint: undefined, sendTimeoutMs: 10000 });
  });

  test('when SES_ENDPOINT is set, then SES requests go there (a local stand-in)', () => {
    const { mail } = loadConfig({ MAIL_TRANSPORT: 'ses', MAIL_FROM: 'orders@shop.example.com', AWS_REGION: 'us-east-1', SES_ENDPOINT: 'http://127.0.0.1:8005' });

    expect(mail).toMatchObject({ transport: 'ses', endpoint: 'http://127.0.0.1:8005' });
  });

  test('when MAIL_TRANSPORT=smtp names a server and a sender, then they are used', () => {
    const { mail } = loadConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://user:secret@smtp.example.com:587', MAIL_FROM: 'orders@shop.example.com', MAIL_SEND_TIMEOUT_MS: '5000' });

    expect(mail).toEqual({ transport: 'smtp', url: 'smtp://user:secret@smtp.example.com:587', from: 'orders@shop.example.com', sendTimeoutMs: 5000 });
  });

  test('when MAIL_TRANSPORT=smtp lacks its server and sender, then both are named', () => {
    expect(problemsOf({ MAIL_TRANSPORT: 'smtp' })).toEqual([
      expect.stringMatching(/^MAIL_FROM is required when MAIL_TRANSPORT=smtp/),
      expect.stringMatching(/^SMTP_URL is required when MAIL_TRANSPORT=smtp/),
    ]);
  });

  test('when SMTP_URL is not an SMTP URL, then it is refused without repeating it (it may hold a password)', () => {
    const problems = problemsOf({ MAIL_TRANSPORT: 'smtp', MAIL_FROM: 'orders@shop.example.com', SMTP_URL: 'https://user:secret@smtp.example.com' });

    expect(problems).toEqual(['SMTP_URL must be an smtp:// or smtps:// URL']);
    expect(problems.join()).not.toContain('secret');
  });

  test.each([
    ['SMTP_URL', { SMTP_URL: 'smtp://smtp.example.com' }, 'SMTP_URL is a setting of MAIL_TRANSPORT=smtp, but the transport is file: set MAIL_TRANSPORT=smtp, or remove it'],
    ['SES_ENDPOINT', { SES_ENDPOINT: 'http://127.0.0.1:8005' }, 'SES_ENDPOINT is a setting of MAIL_TRANSPORT=ses, but the transport is file: set MAIL_TRANSPORT=ses, or remove it'],
    ['MAIL_DIR', { MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://smtp.example.com', MAIL_FROM: 'o@shop.example.com', MAIL_DIR: '/tmp/mail' }, 'MAIL_DIR is a setting of MAIL_TRANSPORT=file, but the transport is smtp: set MAIL_TRANSPORT=file, or remove it'],
  ])('when %s is set for another transport, then the start names it rather than mail going elsewhere than meant', (_name, env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  test.each([
    ['no address', 'orders'],
    ['two addresses', 'a@shop.example.com, b@shop.example.com'],
    ['a name without brackets', 'Shop orders@shop.example.com'],
  ])('when MAIL_FROM is %s, then it is refused', (_case, from) => {
    expect(problemsOf({ MAIL_FROM: from })).toEqual([`MAIL_FROM must be an address or "Name <address>" (got "${from}")`]);
  });

  test.each([
    ['an unknown MAIL_TRANSPORT', { MAIL_TRANSPORT: 'pigeon' }, 'MAIL_TRANSPORT must be one of file, smtp, ses (got "pigeon")'],
    ['a SES_ENDPOINT that is no URL', { MAIL_TRANSPORT: 'ses', MAIL_FROM: 'o@shop.example.com', AWS_REGION: 'eu-west-1', SES_ENDPOINT: 'localhost:8005' }, 'SES_ENDPOINT must be an http:// or https:// URL (got "localhost:8005")'],
    ['a MAIL_SEND_TIMEOUT_MS out of range', { MAIL_SEND_TIMEOUT_MS: '10' }, 'MAIL_SEND_TIMEOUT_MS must be an integer from 100 to 120000 (got "10")'],
  ])('when given %s, then it is named', (_case, env, problem) => {
    expect(problemsOf(env)).toEqual([problem]);
  });

  test('when a send could outlast PostgreSQL\'s cut of idle transactions, then the pair of settings is refused', () => {
    const env = { DATABASE_URL: 'postgres://app@db.example.com/orders', MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://smtp.example.com', MAIL_FROM: 'o@shop.example.com' };

    expect(problemsOf({ ...env, DB_STATEMENT_TIMEOUT_MS: '3000', MAIL_SEND_TIMEOUT_MS: '9000' })).toEqual([
      'MAIL_SEND_TIMEOUT_MS (9000) must be below 3 × DB_STATEMENT_TIMEOUT_MS (9000), after which PostgreSQL ends the transaction a mail is sent in',
    ]);
    expect(problemsOf({ ...env, DB_STATEMENT_TIMEOUT_MS: '3000', MAIL_SEND_TIMEOUT_MS: '8999' })).toEqual([]);
  });
});
