import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { loadConfig } from '../../service/config';
import { RDS_CA_BUNDLE_PATH } from '../../infra/lib/constructs/api-service';
import { ROOT } from '../helpers/infra-synth';

const SCRIPT = path.join(ROOT, 'scripts', 'write-rds-ca-bundle.mjs');

function certificatesIn(file: string): X509Certificate[] {
  const pems = fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return pems.map((pem) => new X509Certificate(pem));
}

/** The CA bundle the image carries so that DB_SSL=verify-full can check Aurora's certificate. */
describe('the Amazon RDS CA bundle (scripts/write-rds-ca-bundle.mjs)', () => {
  let dir: string;
  let bundle: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'order-service-rds-ca-'));
    bundle = path.join(dir, 'certs', 'aws-rds-ca.pem');
    execFileSync(process.execPath, [SCRIPT, bundle], { stdio: 'pipe' });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("when written, then it holds only RDS's CAs and Amazon Trust Services' roots (RDS Proxy's), all valid today", () => {
    const certificates = certificatesIn(bundle);

    expect(certificates.length).toBeGreaterThan(20);
    for (const certificate of certificates) {
      expect(certificate.subject).toMatch(/^OU=Amazon RDS$|^CN=Amazon Root CA [1-4]$|^CN=Starfield Services Root Certificate Authority - G2$/m);
      expect(certificate.ca).toBe(true);
      expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
    }
  });

  test("when written, then it has the current generation's roots (RSA2048, RSA4096, ECC384 G1) of the regions Aurora runs in", () => {
    const names = certificatesIn(bundle).map((certificate) => /CN=([^\n]+)/.exec(certificate.subject)?.[1]);

    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) {
      for (const kind of ['RSA2048', 'RSA4096', 'ECC384']) expect(names).toContain(`Amazon RDS ${region} Root CA ${kind} G1`);
    }
  });

  test('when given to TLS and to the service as DB_SSL_CA_PATH, then both accept it for verify-full', () => {
    expect(() => tls.createSecureContext({ ca: fs.readFileSync(bundle) })).not.toThrow();

    const { database } = loadConfig({
      DB_HOST: 'orders.cluster-x.us-east-1.rds.amazonaws.com',
      DB_USER: 'orders',
      DB_NAME: 'orders',
      DB_SSL: 'verify-full',
      DB_SSL_CA_PATH: bundle,
    });

    expect(database).toMatchObject({ kind: 'postgres', ssl: { mode: 'verify-full', caPath: bundle } });
  });

  test('when no output file is named, then it prints its usage and exits 2', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: node scripts/write-rds-ca-bundle.mjs <out.pem>');
  });

  test('when the image is built, then the bundle is written where the CDK app points DB_SSL_CA_PATH', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const inImage = path.posix.relative('/app', RDS_CA_BUNDLE_PATH);

    expect(dockerfile).toContain(`RUN node scripts/write-rds-ca-bundle.mjs ${inImage}`);
    expect(dockerfile).toContain(`COPY --from=build --chown=root:root /app/${path.posix.dirname(inImage)} ./${path.posix.dirname(inImage)}`);
    expect(fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')).toContain('!scripts/write-rds-ca-bundle.mjs');
  });
});
