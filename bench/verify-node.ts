/**
 * Decode-and-verify of pass codes in one Node process (issue 3 bench): QR images are decoded with
 * zxing-wasm (the engine the guard page runs through barcode-detector) and each token is verified
 * with the shared rule (src/modules/tokens/verify-core.ts), as an offline scanner does.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import QRCode from 'qrcode';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { TOKEN_TYP, verifyTokenWith } from '../src/modules/tokens/verify-core';

const require = createRequire(import.meta.url);

/** Make `count` distinct pass codes as PNG images, with the key set that verifies them. */
export async function passCodeImages(count: number) {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'pa-bench';
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] };
  const images: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const token = await new SignJWT({ nm: '张*三', st: 'normal' })
      .setProtectedHeader({ alg: 'ES256', kid, typ: TOKEN_TYP.pass }).setIssuer('yiqu')
      .setSubject(crypto.randomUUID()).setIssuedAt().setExpirationTime('10m').sign(privateKey);
    images.push(new Uint8Array(await QRCode.toBuffer(token, { errorCorrectionLevel: 'M', margin: 4, scale: 4 })));
  }
  return { images, jwks };
}

/**
 * Decode and verify the images round-robin for `seconds`.
 * @returns {"bench":"verify","where":"node","codes_per_s"} plus the count and failures.
 */
export async function benchVerifyNode(seconds: number) {
  prepareZXingModule({
    overrides: { wasmBinary: fs.readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')).buffer as ArrayBuffer },
  });
  const { images, jwks } = await passCodeImages(50);
  let done = 0;
  let failed = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  while (performance.now() < until) {
    const img = images[done % images.length]!;
    const [hit] = await readBarcodes(img, { formats: ['QRCode'], tryHarder: false, maxNumberOfSymbols: 1 });
    try {
      if (!hit) throw new Error('no code');
      await verifyTokenWith(hit.text, { expect: ['pass', 'card'], jwks });
    } catch {
      failed += 1;
    }
    done += 1;
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { bench: 'verify', where: 'node', codes_per_s: Math.round((done - failed) / elapsed), codes: done, failed };
}
