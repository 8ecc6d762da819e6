/**
 * Staff accounts administration over HTTP (issue 2 §4), permission 'accounts.manage', everything
 * scoped to the caller's subtree: list/create/edit accounts, disable/enable, reset password, bulk
 * import of guards, organisations (health service centers); and POST /api/staff/password for the
 * signed-in user. Rules live in accounts.ts / accounts-rules.ts; handlers only parse and answer.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { requestLang } from '../../lib/http-errors';
import { MAX_FILE_BYTES } from '../../lib/spreadsheet';
import { STAFF_COOKIE, staffGuard } from './auth';
import {
  changeOwnPassword, createAccount, getAccount, listAccounts, resetPassword, setDisabled, updateAccount,
} from './accounts';
import { ImportRejected, importGuards, importResultCsv, importTemplateCsv } from './accounts-import';
import { createOrg, listOrgs, ORG_KINDS } from './accounts-orgs';
import { ROLES } from './roles';

const areaCode = z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/);
const accountOut = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES), roleLabel: z.string(),
  areaCode: z.string(), areaName: z.string(), checkpointId: z.string().nullable(), checkpointLabel: z.string().nullable(),
  orgId: z.string().nullable(), orgName: z.string().nullable(), mustChangePassword: z.boolean(), disabled: z.boolean(),
  disabledAt: z.date().nullable(), createdAt: z.date(), manageable: z.boolean(),
});
const withPassword = z.object({ account: accountOut, password: z.string().describe('one-time password, shown once') });
const orgOut = z.object({ id: z.string(), kind: z.string(), name: z.string(), areaCode: z.string(), areaName: z.string(), createdAt: z.date() });
const idParams = z.object({ id: z.uuid() });
const tags = ['accounts'];

/** MIME types of an uploaded spreadsheet sent as the raw request body. */
const UPLOAD_TYPES = ['application/octet-stream', 'text/csv', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

export function registerAccountRoutes(app: ZApp, ctx: AppContext) {
  const guard = staffGuard(ctx, 'accounts.manage');

  app.get('/api/staff/accounts', {
    preHandler: guard,
    schema: {
      tags, summary: 'Accounts in my area subtree',
      querystring: z.object({
        role: z.enum(ROLES).optional(), areaCode: areaCode.optional(), q: z.string().max(40).optional(),
        disabled: z.enum(['true', 'false']).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50), offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: z.object({ total: z.number(), items: z.array(accountOut) }) },
    },
  }, async (req) => {
    const { disabled, ...f } = req.query;
    return listAccounts(ctx, req.staff!, { ...f, disabled: disabled === undefined ? undefined : disabled === 'true' });
  });

  app.get('/api/staff/accounts/:id', {
    preHandler: guard,
    schema: { tags, summary: 'One account', params: idParams, response: { 200: z.object({ account: accountOut }) } },
  }, async (req) => ({ account: await getAccount(ctx, req.staff!, req.params.id) }));

  app.post('/api/staff/accounts', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create an account (one-time password in the answer, shown once)',
      body: z.object({
        username: z.string().min(1).max(60), displayName: z.string().min(1).max(80), role: z.enum(ROLES), areaCode,
        checkpointId: z.uuid().nullish(), orgId: z.uuid().nullish(),
      }),
      response: { 201: withPassword },
    },
  }, async (req, reply) => reply.status(201).header('cache-control', 'no-store').send(await createAccount(ctx, req.staff!, req.body)));

  app.patch('/api/staff/accounts/:id', {
    preHandler: guard,
    schema: {
      tags, summary: 'Edit display name, checkpoint post or organisation (null clears)', params: idParams,
      body: z.object({ displayName: z.string().min(1).max(80).optional(), checkpointId: z.uuid().nullable().optional(), orgId: z.uuid().nullable().optional() }),
      response: { 200: z.object({ account: accountOut }) },
    },
  }, async (req) => ({ account: await updateAccount(ctx, req.staff!, req.params.id, req.body) }));

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(`/api/staff/accounts/:id/${path}`, {
      preHandler: guard,
      schema: {
        tags, summary: disabled ? 'Disable an account and end its sessions' : 'Enable an account', params: idParams,
        response: { 200: z.object({ account: accountOut }) },
      },
    }, async (req) => ({ account: await setDisabled(ctx, req.staff!, req.params.id, disabled) }));
  }

  app.post('/api/staff/accounts/:id/reset-password', {
    preHandler: guard,
    schema: { tags, summary: 'New one-time password; ends the account\'s sessions', params: idParams, response: { 200: withPassword } },
  }, async (req, reply) => reply.header('cache-control', 'no-store').send(await resetPassword(ctx, req.staff!, req.params.id)));

  app.post('/api/staff/password', {
    preHandler: staffGuard(ctx),
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Change my own password (ends my other sessions)',
      body: z.object({ oldPassword: z.string().min(1).max(200), newPassword: z.string().min(1).max(200) }),
      response: { 200: z.object({ ok: z.literal(true) }) },
    },
  }, async (req) => {
    await changeOwnPassword(ctx, req.staff!, req.cookies[STAFF_COOKIE]!, req.body.oldPassword, req.body.newPassword);
    return { ok: true as const };
  });

  app.get('/api/staff/organisations', {
    preHandler: guard,
    schema: {
      tags, summary: 'Organisations (health service centers …) in or above my area',
      querystring: z.object({ kind: z.enum(ORG_KINDS).optional() }),
      response: { 200: z.object({ items: z.array(orgOut) }) },
    },
  }, async (req) => ({ items: await listOrgs(ctx, req.staff!, req.query.kind) }));

  app.post('/api/staff/organisations', {
    preHandler: guard,
    schema: {
      tags, summary: 'Create an organisation attached to an area node',
      body: z.object({ name: z.string().min(1).max(100), kind: z.enum(ORG_KINDS).default('health_center'), areaCode }),
      response: { 201: z.object({ organisation: orgOut }) },
    },
  }, async (req, reply) => reply.status(201).send({ organisation: await createOrg(ctx, req.staff!, req.body) }));

  app.get('/api/staff/accounts/import-template', {
    preHandler: guard,
    schema: { tags, summary: 'CSV template for the guard import' },
  }, async (_req, reply) => reply.header('content-disposition', 'attachment; filename="guards-template.csv"')
    .type('text/csv; charset=utf-8').send(importTemplateCsv()));

  // The upload takes the raw file as the body; its parser is scoped to this plugin only.
  app.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post('/api/staff/accounts/import', {
      onRequest: guard, // before the body is read
      preValidation: async (req) => {
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError(415, 'file_expected', { zh: '请把 CSV 或 XLSX 文件作为请求内容上传', en: 'Send the CSV or XLSX file as the request body' });
        }
      },
      schema: {
        consumes: UPLOAD_TYPES,
        tags, summary: 'Bulk-import guards from a CSV/XLSX file sent as the raw body (all or nothing)',
        description: 'Columns 姓名, 用户名 (optional), 社区编码 or 社区名称, 卡点 (optional). Answers the one-time ' +
          'passwords once, as JSON or (format=csv) as a CSV file. A refused file answers 400 with details.errors [{line, column, message}].',
        querystring: z.object({ filename: z.string().min(1).max(200).default('upload.csv'), format: z.enum(['json', 'csv']).default('json') }),
        body: z.custom<Buffer>((v) => Buffer.isBuffer(v), { message: 'file expected' }),
        response: {
          200: z.object({
            created: z.number(), ignoredColumns: z.array(z.string()),
            accounts: z.array(z.object({
              line: z.number(), username: z.string(), displayName: z.string(), areaCode: z.string(), areaName: z.string(),
              checkpointId: z.string().nullable(), checkpointLabel: z.string().nullable(), password: z.string(),
            })),
          }),
        },
      },
    }, async (req, reply) => {
      let result;
      try {
        result = await importGuards(ctx, req.staff!, req.body, req.query.filename);
      } catch (e) {
        throw e instanceof ImportRejected ? e.localized(requestLang(req)) : e;
      }
      reply.header('cache-control', 'no-store');
      if (req.query.format === 'csv') {
        // A Buffer is sent as is, past the JSON serializer of the 200 schema.
        return reply.header('content-disposition', 'attachment; filename="guards-passwords.csv"')
          .type('text/csv; charset=utf-8').send(importResultCsv(result.accounts) as never);
      }
      return { created: result.accounts.length, ...result };
    });
  });
}
