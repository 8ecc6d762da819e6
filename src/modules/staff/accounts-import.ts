/**
 * Bulk import of checkpoint guards from a spreadsheet (issue 2 §4): CSV (UTF-8, UTF-8 with BOM,
 * GBK) or XLSX with the columns 姓名, 用户名 (optional), 社区编码 or 社区名称, 卡点 (optional,
 * "place name + checkpoint name"). All or nothing: every row is checked first and any problem
 * rejects the whole file with a per-row report; otherwise every account is created in one
 * transaction with a generated one-time password, returned once.
 */
import type { AppContext } from '../../context';
import type { Bilingual, Lang } from '../../lib/errors';
import { AppError, badRequest, forbidden } from '../../lib/errors';
import { mapHeaders, SpreadsheetError, writeCsv } from '../../lib/spreadsheet';
import { readTableOffThread } from '../../lib/spreadsheet-thread';
import { shortName } from '../areas/divisions';
import { audit } from '../audit/audit';
import { hashPassword, staffActor, type StaffUser } from './auth';
import { usernameTaken } from './accounts';
import { CREATABLE_ROLES, generatePassword, normalizeDisplayName, normalizeUsername } from './accounts-rules';

/** Most rows one import may hold (argon2 hashing costs ~50 ms a row). */
export const IMPORT_MAX_ROWS = 500;

/** Accepted headers per field (matching ignores case, width and spaces; see mapHeaders). */
export const GUARD_IMPORT_HEADERS = {
  name: ['姓名', '名字', 'name'],
  username: ['用户名', '登录名', '账号', 'username'],
  communityCode: ['社区编码', '社区代码', '村/社区编码', 'community code'],
  communityName: ['社区名称', '社区', '村/社区', '社区(村)', 'community'],
  checkpoint: ['卡点', '卡点名称', '值守卡点', 'checkpoint'],
};

export interface RowError { line: number; column?: string; message: Bilingual }

/** The whole file is refused; `errors` lists every problem found, by spreadsheet line. */
export class ImportRejected extends AppError {
  constructor(readonly errors: RowError[]) {
    super(400, 'import_rejected', {
      zh: `导入失败，共 ${errors.length} 处错误，未创建任何账号`, en: `Import refused: ${errors.length} problem(s); no account was created`,
    });
  }
  /** The same refusal with the row messages in one language, for the HTTP answer. */
  localized(lang: Lang): AppError {
    return new AppError(400, this.code, this.messages, {
      errors: this.errors.map((e) => ({ line: e.line, ...(e.column ? { column: e.column } : {}), message: e.message[lang] })),
    });
  }
}

export interface ImportedAccount {
  line: number; username: string; displayName: string; areaCode: string; areaName: string;
  checkpointId: string | null; checkpointLabel: string | null; password: string;
}

/** Letters, digits and CJK only, for matching "文化巷小区 东门" against "文化巷小区-东门". */
const squash = (s: string) => s.normalize('NFKC').replace(/[\s\p{P}\p{S}]/gu, '').toLowerCase();

interface Checkpoint { id: string; name: string; placeName: string; communityCode: string }

/** The checkpoint a cell names within one community: "place + checkpoint", or a checkpoint name unique there. */
function matchCheckpoint(cell: string, list: Checkpoint[]): Checkpoint | 'none' | 'ambiguous' {
  const key = squash(cell);
  for (const pick of [(c: Checkpoint) => squash(c.placeName + c.name) === key, (c: Checkpoint) => squash(c.name) === key]) {
    const hits = list.filter(pick);
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) return 'ambiguous';
  }
  return 'none';
}

type Community = { code: string } | { column: 'communityCode' | 'communityName'; problem: Bilingual };

/**
 * The community a row names, among the caller's `communities`: by code (checked against the name
 * when both are given), else by name (short or full form), which must be unique.
 */
function resolveCommunity(code: string, name: string, communities: { code: string; name: string }[], byCode: Map<string, string>): Community {
  if (code) {
    const known = byCode.get(code);
    if (!known) {
      return { column: 'communityCode', problem: { zh: `社区编码“${code}”不存在或不在您的管辖范围内（须为12位社区/村编码）`,
        en: `community code "${code}" is unknown or outside your area (12-digit community code)` } };
    }
    if (name && shortName(name) !== known) {
      return { column: 'communityName', problem: { zh: `社区名称“${name}”与编码 ${code}（${known}）不一致`, en: `community name "${name}" does not match code ${code} (${known})` } };
    }
    return { code };
  }
  if (!name) return { column: 'communityCode', problem: { zh: '缺少社区编码或社区名称', en: 'community code or name missing' } };
  const hits = communities.filter((c) => c.name === shortName(name));
  if (hits.length === 1) return { code: hits[0]!.code };
  if (hits.length === 0) return { column: 'communityName', problem: { zh: `您的管辖范围内没有名为“${name}”的社区/村`, en: `no community named "${name}" in your area` } };
  return { column: 'communityName', problem: {
    zh: `有 ${hits.length} 个名为“${name}”的社区/村（${hits.map((h) => h.code).join('、')}），请填写社区编码`,
    en: `${hits.length} communities are named "${name}" (${hits.map((h) => h.code).join(', ')}); give the community code`,
  } };
}

/**
 * Validate and import guards from `file` into the caller's subtree.
 * @returns the created accounts with their one-time passwords (shown once), and the ignored columns.
 * @throws AppError 403 when the caller may not create guards, 400 with the SpreadsheetError code for
 *   an unreadable file, ImportRejected (400 import_rejected) with per-row errors, 409 username_taken
 *   when another import took a username meanwhile.
 */
export async function importGuards(ctx: AppContext, actor: StaffUser, file: Buffer, filename: string):
  Promise<{ accounts: ImportedAccount[]; ignoredColumns: string[] }> {
  if (!CREATABLE_ROLES[actor.role].includes('guard')) throw forbidden();
  let table;
  try {
    table = await readTableOffThread(file, filename, { maxRows: IMPORT_MAX_ROWS });
  } catch (e) {
    if (e instanceof SpreadsheetError) throw badRequest(e.code, e.zh, e.en);
    throw e;
  }
  const { mapping, duplicate, unknown } = mapHeaders(table.headers, GUARD_IMPORT_HEADERS);
  if (duplicate.length) throw badRequest('duplicate_header', `表头重复：${duplicate.join('、')}`, `Duplicate columns: ${duplicate.join(', ')}`);
  if (!mapping.name || (!mapping.communityCode && !mapping.communityName)) {
    throw badRequest('missing_header', '表格须包含“姓名”列，以及“社区编码”或“社区名称”列',
      'The sheet needs a 姓名 (name) column and a 社区编码 (community code) or 社区名称 (community name) column');
  }
  if (table.rows.length === 0) throw badRequest('empty_file', '表格中没有数据行', 'The sheet has no data rows');

  const communities = await ctx.db.selectFrom('areas').select(['code', 'name'])
    .where('level', '=', 5).where('code', 'like', `${actor.areaCode}%`).execute();
  const byCode = new Map(communities.map((c) => [c.code, c.name]));
  const errors: RowError[] = [];
  const fail = (line: number, column: string | undefined, zh: string, en: string) =>
    errors.push({ line, column, message: { zh: `第 ${line} 行：${zh}`, en: `Line ${line}: ${en}` } });
  const cell = (r: { cells: Record<string, string> }, f: keyof typeof GUARD_IMPORT_HEADERS) => (mapping[f] ? r.cells[mapping[f]!] ?? '' : '');

  interface Parsed { line: number; displayName: string; username: string | null; areaCode: string; checkpointCell: string }
  const parsed: Parsed[] = [];
  const seenUsernames = new Map<string, number>();
  for (const r of table.rows) {
    for (const e of r.errors) errors.push({ line: r.line, column: e.column, message: { zh: e.zh, en: e.en } });
    let displayName = '';
    try { displayName = normalizeDisplayName(cell(r, 'name')); } catch (e) {
      fail(r.line, mapping.name, (e as AppError).messages.zh, (e as AppError).messages.en);
    }
    let username: string | null = null;
    if (cell(r, 'username')) {
      try {
        username = normalizeUsername(cell(r, 'username'));
        const first = seenUsernames.get(username);
        if (first) fail(r.line, mapping.username, `用户名 ${username} 与第 ${first} 行重复`, `username ${username} repeats line ${first}`);
        else seenUsernames.set(username, r.line);
      } catch (e) {
        fail(r.line, mapping.username, (e as AppError).messages.zh, (e as AppError).messages.en);
      }
    }
    const community = resolveCommunity(cell(r, 'communityCode').replace(/\s/g, ''), cell(r, 'communityName'), communities, byCode);
    if ('problem' in community) fail(r.line, mapping[community.column] ?? mapping.communityName, community.problem.zh, community.problem.en);
    parsed.push({ line: r.line, displayName, username, areaCode: 'code' in community ? community.code : '', checkpointCell: cell(r, 'checkpoint') });
  }

  // Checkpoints of the communities named, and usernames already taken.
  const codes = [...new Set(parsed.map((p) => p.areaCode).filter(Boolean))];
  const checkpoints: Checkpoint[] = codes.length === 0 ? [] : await ctx.db.selectFrom('checkpoints as cp')
    .innerJoin('places as p', 'p.id', 'cp.place_id')
    .select(['cp.id', 'cp.name', 'p.name as placeName', 'p.community_code as communityCode'])
    .where('p.community_code', 'in', codes).where('cp.disabled_at', 'is', null).where('p.disabled_at', 'is', null).execute();
  const checkpointOf = new Map<number, Checkpoint>();
  for (const p of parsed) {
    if (!p.checkpointCell || !p.areaCode) continue;
    const m = matchCheckpoint(p.checkpointCell, checkpoints.filter((c) => c.communityCode === p.areaCode));
    if (m === 'none') fail(p.line, mapping.checkpoint, `${byCode.get(p.areaCode)}没有卡点“${p.checkpointCell}”（请填写“场所名称 卡点名称”）`, `no checkpoint "${p.checkpointCell}" in ${byCode.get(p.areaCode)} (write "place name checkpoint name")`);
    else if (m === 'ambiguous') fail(p.line, mapping.checkpoint, `卡点“${p.checkpointCell}”不唯一，请写明场所名称`, `checkpoint "${p.checkpointCell}" is ambiguous; add the place name`);
    else checkpointOf.set(p.line, m);
  }
  const given = [...seenUsernames.keys()];
  if (given.length) {
    const taken = await ctx.db.selectFrom('staff').select('username').where('username', 'in', given).execute();
    for (const t of taken) fail(seenUsernames.get(t.username)!, mapping.username, `用户名 ${t.username} 已被使用`, `username ${t.username} is already taken`);
  }
  if (errors.length) throw new ImportRejected(errors.sort((a, b) => a.line - b.line));

  // Usernames g<community>_NN for rows without one, after the highest already used.
  const next = new Map<string, number>();
  for (const code of codes) {
    const used = await ctx.db.selectFrom('staff').select('username').where('username', 'like', `g${code}_%`).execute();
    const nums = [...used.map((u) => u.username), ...given].map((u) => u.match(new RegExp(`^g${code}_(\\d+)$`))?.[1]).filter(Boolean).map(Number);
    next.set(code, Math.max(0, ...nums) + 1);
  }
  const accounts: ImportedAccount[] = parsed.map((p) => {
    let username = p.username;
    if (!username) {
      const n = next.get(p.areaCode)!;
      next.set(p.areaCode, n + 1);
      username = `g${p.areaCode}_${String(n).padStart(2, '0')}`;
    }
    const cp = checkpointOf.get(p.line);
    return { line: p.line, username, displayName: p.displayName, areaCode: p.areaCode, areaName: byCode.get(p.areaCode)!,
      checkpointId: cp?.id ?? null, checkpointLabel: cp ? `${cp.placeName} ${cp.name}` : null, password: generatePassword() };
  });
  const hashes = await Promise.all(accounts.map((a) => hashPassword(a.password)));

  await ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.insertInto('staff').values(accounts.map((a, i) => ({
      username: a.username, display_name: a.displayName, role: 'guard', area_code: a.areaCode, org_id: null,
      checkpoint_id: a.checkpointId, password_hash: hashes[i]!, must_change_password: true, created_by: actor.id,
    }))).returning(['id', 'username', 'area_code', 'checkpoint_id']).execute().catch(usernameTaken);
    const who = staffActor(actor);
    await audit(trx, who, ...rows.map((r) => ({
      action: 'account.create', areaCode: r.area_code,
      detail: { accountId: r.id, username: r.username, role: 'guard', checkpointId: r.checkpoint_id, via: 'import' },
    })), { action: 'account.import', areaCode: actor.areaCode, detail: { file: filename.slice(0, 100), created: rows.length } });
  });
  return { accounts, ignoredColumns: unknown };
}

/** The one-time passwords as a formula-safe CSV (UTF-8 with BOM, opens in Excel/WPS). */
export function importResultCsv(accounts: ImportedAccount[]): Buffer {
  return writeCsv(['行号', '姓名', '用户名', '初始密码', '社区编码', '社区名称', '卡点'],
    accounts.map((a) => [a.line, a.displayName, a.username, a.password, a.areaCode, a.areaName, a.checkpointLabel ?? '']));
}

/** An empty template to fill in (CSV with the headers and one example row). */
export function importTemplateCsv(): Buffer {
  return writeCsv(['姓名', '用户名', '社区编码', '社区名称', '卡点'], [['张三', '', '410811001001', '文化巷社区', '某某小区 东门']]);
}
