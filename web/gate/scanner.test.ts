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
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ZXING_WASM_SHA256, ZXING_WASM_VERSION } from 'barcode-detector/ponyfill';
import { CameraStartTimeout, startCamera } from './scanner';

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

/**
 * The start's deadline, with a browser's camera API stood in for: a real camera cannot be made to
 * hang on demand (Chromium's fake camera hangs only sometimes, gate-camera.test.ts).
 */
describe('startCamera: a start that never finishes', () => {
  const track = () => ({ stopped: false, stop() { this.stopped = true; } });
  const streamOf = (t: ReturnType<typeof track>) => ({ getTracks: () => [t] }) as unknown as MediaStream;
  const videoOf = (play: () => Promise<void>) => ({ srcObject: null as unknown, readyState: 0, videoWidth: 0, play }) as unknown as HTMLVideoElement;
  afterEach(() => vi.unstubAllGlobals());

  it('gives up on a camera that never answers and closes it when it opens late', async () => {
    let open!: (s: MediaStream) => void;
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: () => new Promise<MediaStream>((r) => (open = r)) } });
    const video = videoOf(async () => undefined);
    const err = await startCamera(video, () => undefined, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CameraStartTimeout);
    expect((err as CameraStartTimeout).step).toBe('camera');
    const late = track();
    open(streamOf(late));
    await new Promise((r) => setTimeout(r, 10));
    expect(late.stopped).toBe(true);
    expect(video.srcObject).toBe(null);
  });

  it('gives up on a picture that never plays and closes the camera it opened', async () => {
    const t = track();
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: async () => streamOf(t) } });
    const video = videoOf(() => new Promise<void>(() => undefined));
    const err = await startCamera(video, () => undefined, 50).catch((e: unknown) => e);
    expect((err as CameraStartTimeout).step).toBe('video');
    expect(t.stopped).toBe(true);
    expect(video.srcObject).toBe(null);
  });

  it('starts within its time, and stop() closes the camera', async () => {
    const t = track();
    vi.stubGlobal('navigator', { mediaDevices: { getUserMedia: async () => streamOf(t) } });
    const video = videoOf(async () => undefined);
    const camera = await startCamera(video, () => undefined, 10_000);
    expect(t.stopped).toBe(false);
    expect(video.srcObject).not.toBe(null);
    camera.stop();
    expect(t.stopped).toBe(true);
    expect(video.srcObject).toBe(null);
  });
});
