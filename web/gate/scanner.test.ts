/**
 * The .wasm the gate page serves (node_modules/zxing-wasm, imported with Vite's `?url`) must be
 * the very build the barcode-detector ponyfill's bundled glue code expects: another zxing-wasm
 * version would fail at run time on the tablet, not at build time. barcode-detector pins it and
 * publishes its SHA-256.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ZXING_WASM_SHA256, ZXING_WASM_VERSION } from 'barcode-detector/ponyfill';

const require = createRequire(import.meta.url);

describe('zxing .wasm served by the gate page', () => {
  it('is the build barcode-detector expects (version and SHA-256)', () => {
    const file = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
    const pkg = JSON.parse(fs.readFileSync(path.resolve(path.dirname(file), '../../package.json'), 'utf8')) as { name: string; version: string };
    expect(pkg.name).toBe('zxing-wasm');
    expect(pkg.version).toBe(ZXING_WASM_VERSION);
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(ZXING_WASM_SHA256);
  });
});
