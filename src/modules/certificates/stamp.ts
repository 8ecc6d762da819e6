/**
 * The issuing center's round red stamp (公章), drawn as vectors on a pdfkit page: no image file.
 *
 * Looks like a Chinese official seal: a thick red ring, the center's name set along the upper arc
 * (each character upright towards the centre, i.e. rotated to its angle on the arc, narrowed when
 * the name is long), a five-pointed star in the middle and a short straight line of text under the
 * star (e.g. 健康证明专用章). Semi-transparent red (#D0021B, opacity 0.85) so it overlaps the issuer
 * line the way ink does. Every character goes through `drawText` (per-glyph font fallback), so a
 * rare character in a center's name prints and is reported in `missing`.
 * Units: PDF points (1/72 in) unless the name says mm; angles in degrees, 0 = top, clockwise.
 */
import { drawText } from '../../lib/pdf-fonts';

const MM = 72 / 25.4;

export const STAMP_RED = '#D0021B';
export const STAMP_OPACITY = 0.85;
/** Default diameter of the stamp (outer edge of the ring), mm. */
export const STAMP_DIAMETER_MM = 40;
/** Default text under the star. */
export const STAMP_LABEL = '健康证明专用章';

export interface StampOptions {
  /** Centre of the stamp, pt from the page's top-left. */
  cx: number;
  cy: number;
  /** The center's name, set along the upper arc. */
  orgName: string;
  /** Straight line under the star (default 健康证明专用章). */
  label?: string;
  /** Outer diameter, mm (default 40). */
  diameterMm?: number;
}

/** Points of a five-pointed star (one point up) around (cx, cy) with outer radius r, pt. */
export function starPoints(cx: number, cy: number, r: number): [number, number][] {
  const inner = r * 0.382; // regular pentagram: inner/outer = sin 18° / sin 54°
  const pts: [number, number][] = [];
  for (let i = 0; i < 10; i++) {
    const a = (i * 36 * Math.PI) / 180; // 0 = up, clockwise
    const rr = i % 2 === 0 ? r : inner;
    pts.push([cx + rr * Math.sin(a), cy - rr * Math.cos(a)]);
  }
  return pts;
}

/**
 * Layout of the name along the arc: the angle of each character's centre, its font size (pt,
 * vertical) and horizontal squeeze (1 = normal width). Exported for tests.
 * @param n number of characters (code points)
 * @param radius radius of the characters' vertical middle, pt
 */
export function arcLayout(n: number, radius: number): { angles: number[]; size: number; squeeze: number } {
  if (n === 0) return { angles: [], size: 0, squeeze: 1 };
  // Short names spread less; long names use up to 220° of the circle (ends at ±110°, clear of the
  // line under the star), as real seals do.
  const span = Math.min(220, Math.max(120, n * 24));
  const step = n > 1 ? span / (n - 1) : 0;
  const angles = Array.from({ length: n }, (_, i) => -span / 2 + i * step);
  const pitch = n > 1 ? (radius * (span / n) * Math.PI) / 180 : radius; // arc length per character, pt
  const size = Math.min(13, Math.max(7, pitch * 1.2)); // tall characters, as on real seals
  const squeeze = Math.min(1, Math.max(0.35, (pitch * 0.92) / size));
  return { angles, size, squeeze };
}

/**
 * Draw the stamp. Call it after the text it covers so the ink lies on top.
 * @returns characters no font could draw (unique, in order)
 */
export function drawStamp(doc: PDFKit.PDFDocument, o: StampOptions): string[] {
  const missing = new Set<string>();
  const R = ((o.diameterMm ?? STAMP_DIAMETER_MM) * MM) / 2; // outer radius, pt
  const ring = R * 0.06; // ring stroke width (1.2 mm at 40 mm)
  const { cx, cy } = o;

  const label = o.label ?? STAMP_LABEL;
  // One marked span whose ActualText replaces the rotated characters in text extraction and
  // screen readers, so they do not interleave with the issuer line under the stamp.
  doc.markContent('Span', { actual: `${o.orgName.trim()}（${label}）` });
  doc.save();
  doc.fillOpacity(STAMP_OPACITY).strokeOpacity(STAMP_OPACITY);
  doc.lineWidth(ring).circle(cx, cy, R - ring / 2).stroke(STAMP_RED);

  // Name along the upper arc: each character's top sits just inside the ring.
  const chars = [...o.orgName.trim()];
  const top = R - ring - R * 0.1; // radius of the characters' top edge (corners stay clear of the ring)
  const probe = arcLayout(chars.length, top - 6);
  const { angles, size, squeeze } = arcLayout(chars.length, top - probe.size / 2);
  chars.forEach((ch, i) => {
    const a = angles[i];
    const rad = (a * Math.PI) / 180;
    doc.save();
    doc.translate(cx + top * Math.sin(rad), cy - top * Math.cos(rad));
    doc.rotate(a);
    doc.scale(squeeze, 1);
    const box = size * 1.4;
    // drawText's box top is y; CJK glyphs fill roughly [y, y + size]. Start slightly above so the
    // glyph's top meets the radius `top`.
    const r = drawText(doc, ch, -box / 2, -0.02 * size, { size, width: box, align: 'center', bold: true, color: STAMP_RED });
    r.missing.forEach((m) => missing.add(m));
    doc.restore();
  });

  // Star in the middle, then the straight line under it.
  const star = starPoints(cx, cy, R * 0.3);
  doc.polygon(...star).fill(STAMP_RED);
  const lw = R * 0.95;
  const lr = drawText(doc, label, cx - lw / 2, cy + R * 0.36, {
    size: R * 0.17, minSize: R * 0.1, width: lw, align: 'center', bold: true, color: STAMP_RED,
  });
  lr.missing.forEach((m) => missing.add(m));
  doc.restore();
  doc.endMarkedContent();
  return [...missing];
}
