/**
 * Spreadsheet import of places and the poster download (issue 2 §5), both 'places.manage'.
 *
 * Import upload format: the file's raw bytes as the request body, with content-type
 * `application/octet-stream` (also accepted: `text/csv`, `application/vnd.ms-excel`, the XLSX type
 * `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), the original file name in
 * `?filename=` (used in messages only; the format is detected from the content). `?dryRun=1` checks
 * and previews without writing. These parsers live in an encapsulated plugin: other routes are unaffected.
 */
import { PassThrough } from 'node:stream';
import { publicUrlProblem } from '../../config';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError, badRequest } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { MAX_FILE_BYTES } from '../../lib/spreadsheet';
import { audit } from '../audit/audit';
import { staffActor, staffGuard } from '../staff/auth';
import { IMPORT_MAX_ERRORS, importPlaces } from './import';
import { sendPdf, PDF_DESCRIPTION } from '../../lib/pdf-reply';
import { glyphProblems, MAX_POSTERS_PER_DOWNLOAD, posterEntries } from './poster-export';
import { writePosters } from './posters';
import { areaInScope } from './service';

// Browsers send .csv as application/vnd.ms-excel on Windows with Office installed.
const FILE_TYPES = ['application/octet-stream', 'text/csv', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

const rowError = z.object({ line: z.number(), field: z.string(), message: z.string(), zh: z.string(), en: z.string() });
const importOut = z.object({
  dryRun: z.boolean(), ok: z.boolean(), rows: z.number(), placesNew: z.number(), placesExisting: z.number(),
  checkpointsNew: z.number(), checkpointsExisting: z.number(), errors: z.array(rowError), errorCount: z.number(),
  places: z.array(z.object({
    line: z.number(), communityCode: z.string(), communityName: z.string(), name: z.string(), kind: z.string(), kindLabel: z.string(),
    isNew: z.boolean(), newCheckpoints: z.array(z.string()), existingCheckpoints: z.array(z.string()),
  })),
});

export function registerPlaceTransferRoutes(app: ZApp, ctx: AppContext) {
  app.register(async (plugin: FastifyInstance) => {
    const sub = plugin.withTypeProvider<ZodTypeProvider>();
    sub.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_req, body, done) => done(null, body));
    const manage = staffGuard(ctx, 'places.manage');
    const security = [{ staff: [] }];

    sub.post('/api/places/import', {
      onRequest: manage, // before the body is read
      schema: {
        tags: ['places'], security,
        summary: 'Import places and checkpoints from CSV/XLSX sent as the raw body (content-type text/csv, application/octet-stream or the XLSX type); all or nothing',
        description: `Columns: 社区编码 or 社区名称 (+ optional 街道), 场所名称, 场所类型, 地址, 卡点名称 — one row per checkpoint. ` +
          `?dryRun=1 previews (200, ok=false when rows have errors). Without dryRun: 201 with counts, or 422 with ` +
          `error.details.errors = [{line, field, message, zh, en}] (at most ${IMPORT_MAX_ERRORS}) and nothing imported. ` +
          `A file too large or complex to read (over 10 MB, or beyond the reader's memory or time) is refused with 400.`,
        querystring: z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional(), filename: z.string().trim().max(200).optional(),
          lang: z.string().optional() }),
        response: { 200: importOut, 201: importOut },
      },
    }, async (req, reply) => {
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body)) {
        throw new AppError(415, 'upload_raw_file', { zh: '请以 application/octet-stream 上传文件的原始内容', en: 'Send the file\'s raw bytes with content-type application/octet-stream' });
      }
      if (body.length === 0) throw badRequest('empty_file', '上传的文件是空的', 'The uploaded file is empty');
      const dryRun = req.query.dryRun === '1' || req.query.dryRun === 'true';
      const lang = requestLang(req);
      const r = await importPlaces(ctx, req.staff!, body, req.query.filename || 'upload', { dryRun });
      const out = { ...r, errors: r.errors.map((e) => ({ ...e, message: e[lang] })) };
      if (dryRun) return out;
      if (!r.ok) {
        throw new AppError(422, 'import_invalid', {
          zh: `有 ${r.errorCount} 处错误，未导入任何数据。请修改后重新导入`, en: `${r.errorCount} problem(s) found; nothing was imported. Fix them and import again`,
        }, { errors: out.errors, errorCount: r.errorCount, rows: r.rows });
      }
      return reply.status(201).send(out);
    });

    sub.get('/api/posters/check', {
      preHandler: manage,
      schema: {
        tags: ['places'], security, summary: 'Before printing: how many posters an area gives (screenMode: active checkpoints in screen mode, which get none), whether phones can open their link (PUBLIC_URL), and characters the fonts cannot draw',
        querystring: z.object({ areaCode: z.string().regex(/^\d{2,12}$/) }),
        response: { 200: z.object({ areaCode: z.string(), checkpoints: z.number(), screenMode: z.number(), maxPerDownload: z.number(),
          publicUrl: z.string(), publicUrlProblem: z.enum(['loopback', 'not_https']).nullable(),
          missing: z.array(z.object({ checkpointId: z.string(), placeName: z.string(), checkpointName: z.string(), chars: z.array(z.string()) })) }) },
      },
    }, async (req) => {
      const code = areaInScope(req.staff!, req.query.areaCode);
      const { entries, screenMode } = await posterEntries(ctx, code);
      return { areaCode: code, checkpoints: entries.length, screenMode, maxPerDownload: MAX_POSTERS_PER_DOWNLOAD,
        publicUrl: ctx.config.PUBLIC_URL, publicUrlProblem: publicUrlProblem(ctx.config.PUBLIC_URL), missing: glyphProblems(entries) };
    });

    sub.get('/api/posters', {
      preHandler: manage,
      schema: {
        tags: ['places'], security,
        summary: 'PDF of A4 posters, one per active checkpoint in poster mode under the area (audited export)',
        description: `${PDF_DESCRIPTION} x-yiqu-poster-count: the posters in it.`,
        querystring: z.object({ areaCode: z.string().regex(/^\d{2,12}$/) }),
      },
    }, async (req, reply) => {
      const staff = req.staff!;
      const code = areaInScope(staff, req.query.areaCode);
      const { entries, screenMode } = await posterEntries(ctx, code);
      if (entries.length === 0) {
        throw new AppError(404, 'no_checkpoints', screenMode > 0
          ? { zh: '该区域下启用的卡点都在使用屏幕动态码，不需要海报', en: 'Every active checkpoint in this area shows a screen code: no posters to print' }
          : { zh: '该区域下没有启用的卡点', en: 'No active checkpoints in this area' });
      }
      if (entries.length > MAX_POSTERS_PER_DOWNLOAD) {
        throw badRequest('too_many_posters', `该区域有 ${entries.length} 个卡点，超过单次下载上限 ${MAX_POSTERS_PER_DOWNLOAD}，请按街道分批下载`,
          `${entries.length} checkpoints exceed the ${MAX_POSTERS_PER_DOWNLOAD} per download; download street by street`);
      }
      const missing = [...new Set(glyphProblems(entries).flatMap((p) => p.chars))];
      await audit(ctx.db, staffActor(staff), { action: 'posters.export', areaCode: code, detail: { checkpoints: entries.length, missing } });
      const out = new PassThrough();
      writePosters(entries.map((e) => e.item), { publicUrl: ctx.config.PUBLIC_URL }, out).catch((err: unknown) => {
        req.log.warn({ err, areaCode: code }, 'poster download ended early');
        out.destroy(err as Error);
      });
      return sendPdf(reply, out, `yiqu-posters-${code}.pdf`, missing, { 'x-yiqu-poster-count': String(entries.length) });
    });
  });
}
