/**
 * The gate's camera scanner (issue 3 §3): the rear camera (getUserMedia, facingMode environment
 * preferred) decoded by the `barcode-detector` ponyfill over zxing-wasm. The .wasm is a build asset
 * served by our own server (Vite `?url`: /assets/zxing_reader-<hash>.wasm, precached by the
 * service worker), never the package's default jsDelivr CDN: `prepareZXingModule` points
 * `locateFile` at it before the first detector exists.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

/** Milliseconds between two detection passes over the video (cheap tablets: ~6 passes a second). */
export const SCAN_INTERVAL_MS = 150;

export interface Camera {
  stop(): void;
}

/** emscripten's file locator, one function for the page's life (the module is cached per overrides). */
const locateFile = (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(wasmUrl, location.href).href : prefix + path);
let detector: Promise<{ detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>> }> | null = null;

/** The QR detector, created once (loads the decoder script and the .wasm from our server). */
export function qrDetector() {
  detector ??= import('barcode-detector/ponyfill').then(({ BarcodeDetector, prepareZXingModule }) => {
    prepareZXingModule({ overrides: { locateFile } });
    return new BarcodeDetector({ formats: ['qr_code'] });
  });
  return detector;
}

/**
 * Opens the camera into `video` and calls `onCode` with every QR text it reads.
 * @throws DOMException from getUserMedia (NotAllowedError: permission refused; NotFoundError: no
 *   camera; NotReadableError: in use) or Error when the page is not a secure context.
 */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Camera> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('camera API unavailable (needs https)');
  const found = qrDetector();
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false,
    video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
  });
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play().catch(() => undefined);
  const d = await found;
  let stopped = false;
  void (async () => {
    while (!stopped) {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        try {
          for (const c of await d.detect(video)) if (c.rawValue && !stopped) onCode(c.rawValue);
        } catch { /* a frame that cannot be read: try the next */ }
      }
      await new Promise((r) => setTimeout(r, SCAN_INTERVAL_MS));
    }
  })();
  return {
    stop() {
      stopped = true;
      for (const t of stream.getTracks()) t.stop();
      video.srcObject = null;
    },
  };
}
