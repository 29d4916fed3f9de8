import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../service/config';
import type { Database } from '../../service/db/database';
import { openDatabase } from '../../service/db/open-database';
import { describeWithPostgresBinaries, PgCluster } from '../helpers/pg-cluster';

/** A CA of the test's own, and a server certificate it signed for 127.0.0.1 only (not for "localhost"). */
function makeCertificates(dir: string): { caPath: string; certPem: string; keyPem: string } {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test CA', '-keyout', file('ca.key'), '-out', file('ca.crt'));
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr'));
  fs.writeFileSync(file('san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '2', '-extfile', file('san.ext'), '-out', file('server.crt'));
  return { caPath: file('ca.crt'), certPem: fs.readFileSync(file('server.crt'), 'utf8'), keyPem: fs.readFileSync(file('server.key'), 'utf8') };
}

/** What sslmode in DATABASE_URL asks for is what the connection gets, against a server that offers TLS. */
describeWithPostgresBinaries('TLS to the database, from sslmode in DATABASE_URL', () => {
  let cluster: PgCluster;
  let certificates: { caPath: string; certPem: string; keyPem: string };
  let certificateDir: string;
  const logger = pino({ level: 'silent' });

  const open = (env: Record<string, string>) => openDatabase(loadConfig({ DB_STARTUP_RETRY_MS: '0', ...env }).database, logger);
  const encrypted = async (db: Database) => {
    const [{ ssl }] = await db.readPrimary((manager) => manager.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'));
    await db.close();
    return ssl as boolean;
  };

  beforeAll(async () => {
    certificateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-tls-'));
    certificates = makeCertificates(certificateDir);
    cluster = await PgCluster.primary({ tls: certificates });
  }, 60_000);

  afterAll(async () => {
    await cluster?.destroy();
    fs.rmSync(certificateDir, { recursive: true, force: true });
  });

  test('when sslmode=require, then the connection is encrypted; when sslmode=disable, then it is not', async () => {
    expect(await encrypted(await open({ DATABASE_URL: `${cluster.url()}?sslmode=require` }))).toBe(true);
    expect(await encrypted(await open({ DATABASE_URL: `${cluster.url()}?sslmode=disable` }))).toBe(false);
  });

  test('when sslmode=verify-full and DB_SSL_CA_PATH names the CA that signed the server, then it connects, encrypted', async () => {
    const db = await open({ DATABASE_URL: `${cluster.url()}?sslmode=verify-full`, DB_SSL_CA_PATH: certificates.caPath });

    expect(await encrypted(db)).toBe(true);
  });

  test("when sslmode=verify-full without DB_SSL_CA_PATH, then Node's own CAs do not know the server and the start fails at once", async () => {
    await expect(open({ DATABASE_URL: `${cluster.url()}?sslmode=verify-full` })).rejects.toThrow(
      /Cannot connect to the PostgreSQL writer at 127\.0\.0\.1:\d+\/postgres after 1 attempt\(s\): .*(unable to (verify|get local issuer)|self[- ]signed certificate)/,
    );
  });

  test('when sslmode=verify-full names a host the certificate is not for, then the start fails: the host name is checked too', async () => {
    const byName = cluster.url().replace('127.0.0.1', 'localhost');

    await expect(open({ DATABASE_URL: `${byName}?sslmode=verify-full`, DB_SSL_CA_PATH: certificates.caPath })).rejects.toThrow(
      /Cannot connect to the PostgreSQL writer at localhost:\d+\/postgres .*(does not match|not in the cert)/,
    );
  });
});
