#!/usr/bin/env node
// Mints a JWT for local testing of AUTH_MODE=jwt, signed with a development key pair kept in
// db/dev-auth/ (made on first use; db/ is git-ignored). Never use these keys anywhere real.
//
//   npm run -s token -- [--sub alice] [--staff] [--expires-in 3600]   prints the token
//   eval "$(npm run -s token -- --env)" && npm start                   serves with the matching settings
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from 'jose';

const DEV_ISSUER = 'urn:order-service:dev-issuer';
const DEV_AUDIENCE = 'order-service';
const ALG = 'ES256';

const { values } = parseArgs({
  options: {
    sub: { type: 'string', default: 'dev-customer' },
    staff: { type: 'boolean', default: false },
    'expires-in': { type: 'string', default: '3600' },
    env: { type: 'boolean', default: false },
  },
});

const dir = process.env.DEV_AUTH_DIR ?? path.join('db', 'dev-auth');
const privatePath = path.join(dir, 'private.pem');
const publicPath = path.join(dir, 'public.pem');

if (!fs.existsSync(privatePath)) {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(privatePath, await exportPKCS8(privateKey), { mode: 0o600 });
  fs.writeFileSync(publicPath, await exportSPKI(publicKey));
  console.error(`made a development key pair in ${dir}/`);
}

if (values.env) {
  // Shell exports for eval; the PEM on one line with its newlines as \n, which the service accepts.
  const settings = {
    AUTH_MODE: 'jwt',
    AUTH_ISSUER: DEV_ISSUER,
    AUTH_AUDIENCE: DEV_AUDIENCE,
    AUTH_PUBLIC_KEY: fs.readFileSync(publicPath, 'utf8').trim().replace(/\n/g, '\\n'),
  };
  for (const [name, value] of Object.entries(settings)) console.log(`export ${name}='${value}'`);
} else {
  const seconds = Number(values['expires-in']);
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('--expires-in must be a positive number of seconds');
  const key = await importPKCS8(fs.readFileSync(privatePath, 'utf8'), ALG);
  const token = await new SignJWT({ ...(values.staff && { 'cognito:groups': ['staff'] }) })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(values.sub)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${seconds}s`)
    .sign(key);
  console.log(token);
}
