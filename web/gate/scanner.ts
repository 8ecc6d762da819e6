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
type Detector = { detect(source: HTMLVideoElement): Promise<Array<{ rawValue: string }>> };
let detector: Promise<Detector> | null = null;
let detectorReady = false;

/** The QR detector, created once (loads the decoder script and the .wasm from our server). */
export function qrDetector() {
  detector ??= import('barcode-detector/ponyfill').then(({ BarcodeDetector, prepareZXingModule }) => {
    prepareZXingModule({ overrides: { locateFile } });
    const d = new BarcodeDetector({ formats: ['qr_code'] }) as unknown as Detector;
    detectorReady = true;
    return d;
  });
  return detector;
}

/**
 * How long opening the camera may take, ms: the permission prompt answered, the first picture, the
 * decoder loaded. Longer, the guard is told and may tap 打开摄像头 again instead of facing a button
 * that does nothing (Chromium 156 sometimes never finished a start: docs/STATUS.md, session 10).
 */
export const CAMERA_START_TIMEOUT_MS = 20_000;

/** The camera did not start within its time; `step` is what it was still waiting for. */
export class CameraStartTimeout extends Error {
  constructor(readonly step: 'camera' | 'video' | 'decoder', timeoutMs: number) {
    super(`camera start took longer than ${timeoutMs / 1000} s (waiting for: ${step})`);
    this.name = 'TimeoutError';
  }
}

/**
 * Opens the camera into `video` and calls `onCode` with every QR text it reads.
 * @param timeoutMs how long the start may take (CAMERA_START_TIMEOUT_MS).
 * @throws DOMException from getUserMedia (NotAllowedError: permission refused; NotFoundError: no
 *   camera; NotReadableError: in use), Error when the page is not a secure context, or
 *   CameraStartTimeout; then no camera stays open (one that opens late is closed at once) and a
 *   decoder that had not loaded is loaded afresh by the next start.
 */
export async function startCamera(video: HTMLVideoElement, onCode: (text: string) => void, timeoutMs = CAMERA_START_TIMEOUT_MS): Promise<Camera> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('camera API unavailable (needs https)');
  const found = qrDetector();
  let step: CameraStartTimeout['step'] = 'camera';
  let abandoned = false;
  let stream: MediaStream | null = null;
  const stopStream = (s: MediaStream) => {
    for (const t of s.getTracks()) t.stop();
  };
  const start = (async () => {
    const s = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    if (abandoned) return stopStream(s);
    stream = s;
    step = 'video';
    video.muted = true;
    video.playsInline = true;
    video.srcObject = s;
    await video.play().catch(() => undefined);
    step = 'decoder';
    return found;
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CameraStartTimeout(step, timeoutMs)), timeoutMs);
  });
  let d: Detector;
  try {
    d = (await Promise.race([start, late]))!;
  } catch (err) {
    abandoned = true;
    start.catch(() => undefined); // its own failure no longer matters
    if (stream) stopStream(stream);
    if (video.srcObject === stream) video.srcObject = null;
    if (!detectorReady) detector = null;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  const open: MediaStream = stream!;
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
      stopStream(open);
      video.srcObject = null;
    },
  };
}
