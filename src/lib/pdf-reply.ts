/**
 * The one way a route answers a PDF download (posters, cards, certificates): an attachment, never
 * cached, with `x-yiqu-missing-glyphs` listing the characters printed as '□' (code points as
 * U+XXXX, space-separated; '' when every character printed), so the console can warn.
 */
import type { FastifyReply } from 'fastify';

/** 'U+2020C' for '𠈌': how a character is named in headers and reports. */
export const codePointLabel = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Description of the PDF download answer for OpenAPI. */
export const PDF_DESCRIPTION = 'application/pdf attachment. x-yiqu-missing-glyphs lists code points printed as □ (U+XXXX, space-separated).';

/**
 * Send `body` (bytes or a stream) as the PDF attachment `filename` (ASCII), with its missing glyphs.
 * @param extra more headers (e.g. a count).
 */
export function sendPdf(reply: FastifyReply, body: Buffer | NodeJS.ReadableStream, filename: string, missing: string[],
  extra: Record<string, string> = {}) {
  reply.header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .header('x-yiqu-missing-glyphs', missing.map(codePointLabel).join(' '));
  for (const [k, v] of Object.entries(extra)) reply.header(k, v);
  return reply.send(body);
}
