/**
 * One error handler for the whole API: every refusal is `{error: {code, message, fields?}}` in
 * the caller's language with a 4xx status; anything unexpected is logged and answered 500 with a
 * generic message (never a stack or a SQL text). Input holding U+0000 is refused up front (400).
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, pickLang, type Lang } from './errors';

/** Chinese and English labels of request fields, for validation messages. */
const FIELD_LABELS: Record<string, [string, string]> = {
  name: ['姓名', 'name'], docType: ['证件类型', 'document type'], docNumber: ['证件号码', 'document number'],
  phone: ['手机号码', 'mobile number'], communityCode: ['所在社区', 'community'], address: ['住址', 'address'],
  temperature: ['体温', 'temperature'], direction: ['进出方向', 'direction'], token: ['二维码', 'code'],
  username: ['用户名', 'username'], password: ['密码', 'password'], role: ['角色', 'role'],
  areaCode: ['区域', 'area'], kind: ['类型', 'kind'], placeId: ['场所', 'place'],
  personIds: ['人员', 'persons'], reason: ['原因', 'reason'], outcome: ['处置结果', 'outcome'],
  oldPassword: ['原密码', 'current password'], newPassword: ['新密码', 'new password'],
  displayName: ['姓名', 'display name'], remeasuredTemperature: ['复测体温', 're-measured temperature'],
  from: ['开始时间', 'from'], to: ['结束时间', 'to'], date: ['日期', 'date'], status: ['状态', 'status'],
  // issue 4: cases, contacts, tracing, reports
  personId: ['人员', 'person'], caseId: ['病例', 'case'], contactId: ['密接人员', 'contact'], infectorCaseId: ['传染源病例', 'infector case'],
  effectiveOn: ['生效日期', 'effective date'], onsetOn: ['发病日期', 'onset date'], isolatedOn: ['隔离（入院）日期', 'isolation date'],
  lastExposureOn: ['最后接触日期', 'last exposure date'], endOn: ['观察结束日期', 'end of observation'], on: ['日期', 'date'],
  hospital: ['医院', 'hospital'], hospitalised: ['是否住院', 'hospitalised'], classification: ['病例分类', 'classification'],
  sourceArea: ['输入来源地', 'source area'], cluster: ['聚集性疫情', 'cluster'], note: ['备注', 'note'],
  marginMin: ['时间余量（分钟）', 'margin (minutes)'], figure: ['统计项', 'figure'], document: ['证件', 'document'],
  // issue 5: community reporting, key persons, door sensors, households
  originText: ['来源地', 'origin'], originCode: ['来源地编码', 'origin code'], circumstance: ['返回类型', 'circumstance'],
  arrivalOn: ['抵达日期', 'arrival date'], route: ['行程', 'route'], transport: ['交通方式', 'transport'], householdId: ['住户', 'household'],
  measure: ['管控措施', 'measure'], days: ['天数', 'days'], priority: ['优先级', 'priority'], originPrefix: ['来源地编码', 'origin code'],
  originLabel: ['来源地名称', 'origin name'], noticeOn: ['通知日期', 'notice date'], retire: ['停用的规则', 'rules to retire'], add: ['新增规则', 'new rule'],
  category: ['类别', 'category'], startOn: ['开始日期', 'start date'], street_cadre: ['街道干部', 'street cadre'],
  community_worker: ['社区工作者', 'community worker'], doctor: ['社区医生', 'doctor'], police: ['社区民警', 'police officer'],
  counsellor: ['心理咨询师', 'counsellor'], slot: ['报告时段', 'slot'], symptoms: ['症状', 'symptoms'], reportOn: ['报告日期', 'report date'],
  title: ['标题', 'title'], dueAt: ['截止时间', 'due time'], assigneeId: ['负责人', 'assignee'], keyPersonId: ['重点人员', 'key person'],
  device: ['门磁设备号', 'device id'], windows: ['约定时段', 'agreed windows'], buildingId: ['楼栋', 'building'], unit: ['单元', 'unit'],
  room: ['门牌号', 'room'], occupancy: ['居住状态', 'occupancy'], tenantNote: ['租户情况', 'tenant details'], residentSince: ['入住日期', 'resident since'],
  since: ['入住日期', 'since'], visitedAt: ['走访时间', 'visit time'], startedOn: ['开始日期', 'start date'], state: ['状态', 'state'],
  limit: ['条数', 'limit'], q: ['关键词', 'search text'],
  // issue 6: health declarations
  residence: ['近14天居住地', 'residence in the last 14 days'], place: ['居住地点', 'place'], travel: ['旅行史', 'travel history'],
  contactWithCases: ['病例接触史', 'contact with cases'], contactWithAreas: ['重点地区人员接触史', 'contact with people from named areas'],
  contactNote: ['接触情况说明', 'contact details'], destination: ['目的地', 'destination'], purpose: ['事由', 'purpose'],
  acknowledged: ['承诺确认', 'acknowledgement'], action: ['办理操作', 'action'], assessment: ['健康评估', 'assessment'],
  temperatureC: ['体温', 'temperature'], cough: ['咳嗽', 'cough'], chestTightness: ['闷气', 'chest tightness'],
  otherSymptoms: ['其他症状', 'other symptoms'], conclusion: ['评估结论', 'conclusion'],
};

export function fieldLabel(path: string, lang: Lang): string {
  const key = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? path;
  if (key === '') return lang === 'zh' ? '请求内容' : 'the request body';
  const l = FIELD_LABELS[key];
  return l ? (lang === 'zh' ? l[0] : l[1]) : key;
}

export function requestLang(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  return pickLang(req.headers['accept-language'], typeof q === 'string' ? q : req.cookies?.lang);
}

const FASTIFY_CODES: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, '提交的内容过大', 'Request body too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, '不支持的内容类型', 'Unsupported content type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, '请求长度不正确', 'Invalid content length'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, '请求内容为空', 'Empty JSON body'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, '请求内容不是有效的 JSON', 'Body is not valid JSON'],
  FST_ERR_VALIDATION: [400, '提交的内容格式不正确', 'Invalid request'],
};

/**
 * True when a parsed request value (body, query or params; nested objects and arrays up to 32
 * levels) holds a string with U+0000. PostgreSQL cannot store it in text or jsonb, so such input
 * is refused before any handler runs instead of failing in a query (a 500). Buffers (uploaded
 * files) are not inspected: their parsers decode them.
 */
export function hasNulCharacter(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v === null || typeof v !== 'object' || depth > 32 || Buffer.isBuffer(v)) return false;
  // a plain loop: this runs on every request (~2% of the server's thread under check-in load)
  for (const k in v) if (Object.hasOwn(v, k) && hasNulCharacter((v as Record<string, unknown>)[k], depth + 1)) return true;
  return false;
}

interface SizeIssue { origin?: string; maximum?: number | bigint; minimum?: number | bigint }

/**
 * The limit a value broke, in words (zod's too_big / too_small on strings, arrays and numbers), so
 * a form or a gate says "at most 200 items" instead of only "invalid". null for other issues.
 */
function sizeLimit(code: string, p: SizeIssue, lang: 'zh' | 'en'): string | null {
  const n = code === 'too_big' ? p.maximum : code === 'too_small' ? p.minimum : undefined;
  if (n === undefined || !p.origin) return null;
  const big = code === 'too_big';
  const zh = lang === 'zh';
  if (p.origin === 'array') return big ? (zh ? `最多 ${n} 项` : `must have at most ${n} items`) : (zh ? `至少 ${n} 项` : `must have at least ${n} items`);
  if (p.origin === 'string') {
    if (!big && Number(n) === 1) return zh ? '不能为空' : 'must not be empty';
    return big ? (zh ? `最多 ${n} 个字符` : `must be at most ${n} characters`) : (zh ? `至少 ${n} 个字符` : `must be at least ${n} characters`);
  }
  if (p.origin === 'number' || p.origin === 'int') return big ? (zh ? `不能大于 ${n}` : `must be at most ${n}`) : (zh ? `不能小于 ${n}` : `must be at least ${n}`);
  return null;
}

export function installErrorHandler(app: FastifyInstance) {
  // a callback hook, not an async one: no promise for every request
  app.addHook('preValidation', (req, _reply, done) => {
    if (hasNulCharacter(req.params) || hasNulCharacter(req.query) || hasNulCharacter(req.body)) {
      return done(new AppError(400, 'nul_character', {
        zh: '提交的内容含有空字符（U+0000），请删除后重试', en: 'The request contains a NUL character (U+0000); remove it and retry',
      }));
    }
    done();
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = requestLang(req);
    if (err instanceof AppError) {
      return reply.status(err.status).send({
        error: { code: err.code, message: err.messages[lang], ...(err.details ? { details: err.details } : {}) },
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const fields = err.validation.map((v) => {
        const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
        const label = fieldLabel(path, lang);
        const limit = sizeLimit(v.keyword, v.params as SizeIssue, lang);
        return { field: path, message: lang === 'zh' ? `${label}${limit ?? '格式不正确'}` : `${label} ${limit ?? 'is invalid'}` };
      });
      const message = (lang === 'zh' ? '请检查：' : 'Please check: ') + fields.map((f) => f.message).join(lang === 'zh' ? '；' : '; ');
      return reply.status(400).send({ error: { code: 'invalid_input', message, fields } });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) {
      const m = FASTIFY_CODES.FST_ERR_CTP_INVALID_JSON_BODY!;
      return reply.status(400).send({ error: { code: 'invalid_json', message: lang === 'zh' ? m[1] : m[2] } });
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) {
      return reply.status(known[0]).send({ error: { code: err.code.toLowerCase(), message: lang === 'zh' ? known[1] : known[2] } });
    }
    if (err.statusCode === 429) {
      return reply.status(429).send({
        error: { code: 'rate_limited', message: lang === 'zh' ? '操作过于频繁，请稍后再试' : 'Too many requests; please wait and retry' },
      });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.status(err.statusCode).send({
        error: { code: 'bad_request', message: lang === 'zh' ? '请求不正确' : 'Bad request' },
      });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: { code: 'internal', message: lang === 'zh' ? '服务器内部错误，请稍后重试' : 'Internal error, please retry' },
    });
  });
  app.setNotFoundHandler((req, reply) => {
    const lang = requestLang(req);
    reply.status(404).send({ error: { code: 'not_found', message: lang === 'zh' ? '页面不存在' : 'Not found' } });
  });
}
