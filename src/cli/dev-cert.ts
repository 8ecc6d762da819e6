/**
 * `npx yiqu dev-cert [--ip 192.168.1.23 …] [--out DIR]`: a certificate for testing the gate page
 * (camera, service worker: both need a secure context) and the pass code from phones on a LAN,
 * with the server listening on https itself (HTTPS_CERT / HTTPS_KEY). Made with the `openssl`
 * CLI: a local CA (ca.crt, kept and reused so a phone trusts it once) and a server certificate
 * for the given IP addresses plus localhost, signed by it (cert.pem, key.pem; 397 days, the most
 * phones accept). Never for production: there an https reverse proxy holds a real certificate.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config';

/** Days the server certificate is valid (Apple and Chrome refuse TLS certificates over 398 days). */
export const DEV_CERT_DAYS = 397;
/** Days the local CA is valid. */
export const DEV_CA_DAYS = 3650;

export interface DevCertFiles { dir: string; caCert: string; cert: string; key: string; ips: string[]; caCreated: boolean }

/** The machine's non-internal IPv4 addresses (what phones on the LAN can reach). */
export function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces()).flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal).map((i) => i.address);
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * Write (or renew) the CA and the server certificate into `dir` for `ips` (+ 127.0.0.1, localhost).
 * @throws Error for an address that is not IPv4, or when `openssl` is missing or fails.
 */
export function makeDevCert(dir: string, ips: string[]): DevCertFiles {
  for (const ip of ips) if (!IPV4.test(ip)) throw new Error(`--ip must be an IPv4 address, got "${ip}"`);
  const all = [...new Set([...ips, '127.0.0.1'])];
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const f = (name: string) => path.join(dir, name);
  const caCreated = !(fs.existsSync(f('ca.crt')) && fs.existsSync(f('ca.key')));
  if (caCreated) {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256',
      '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', String(DEV_CA_DAYS),
      '-subj', `/O=Yiqu development/CN=Yiqu dev CA ${os.hostname()}`.slice(0, 64),
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  }
  fs.writeFileSync(f('server.ext'), [
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth',
    `subjectAltName=${[...all.map((ip) => `IP:${ip}`), 'DNS:localhost'].join(',')}`, '',
  ].join('\n'));
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256',
    '-keyout', f('key.pem'), '-out', f('server.csr'), '-subj', `/O=Yiqu development/CN=${all[0]}`]);
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-sha256',
    '-set_serial', `0x${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`,
    '-days', String(DEV_CERT_DAYS), '-extfile', f('server.ext'), '-out', f('cert.pem')]);
  fs.rmSync(f('server.csr'), { force: true });
  fs.rmSync(f('server.ext'), { force: true });
  for (const k of ['ca.key', 'key.pem']) fs.chmodSync(f(k), 0o600);
  return { dir, caCert: f('ca.crt'), cert: f('cert.pem'), key: f('key.pem'), ips: all, caCreated };
}

export function addDevCertCommand(program: Command) {
  program
    .command('dev-cert')
    .description('make a self-signed https certificate (local CA + server cert) for testing from phones on the LAN')
    .option('--ip <address...>', 'IPv4 address(es) phones use to reach this machine (default: its LAN addresses)')
    .option('--out <dir>', 'output directory (default: DATA_DIR/dev-cert)')
    .action((o: { ip?: string[]; out?: string }) => {
      const config = loadConfig();
      const ips = o.ip?.length ? o.ip : lanAddresses();
      const r = makeDevCert(path.resolve(o.out ?? path.join(config.DATA_DIR, 'dev-cert')), ips);
      const ip = r.ips[0];
      console.log([
        `${r.caCreated ? 'created a local CA and' : 'reused the local CA;'} a server certificate for ${r.ips.join(', ')}, localhost (${DEV_CERT_DAYS} days)`,
        `  CA (install on the phones): ${r.caCert}`,
        `  server: ${r.cert}, ${r.key}`,
        '',
        'Start the server on https:',
        `  HTTPS_CERT=${r.cert} HTTPS_KEY=${r.key} HOST=0.0.0.0 PUBLIC_URL=https://${ip}:3000 npm start`,
        `Then open https://${ip}:3000/gate on the tablet (see docs/CONFIGURATION.md "Testing from phones on a LAN"`,
        'for trusting ca.crt on Android and iOS). Never use these files in production.',
      ].join('\n'));
    });
}
