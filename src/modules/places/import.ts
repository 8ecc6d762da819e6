/**
 * Import places and checkpoints from CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, UTF-16) or XLSX
 * (issue 2 §5). One row per checkpoint: 社区编码 or 社区名称 (optionally 街道 to tell namesakes apart),
 * 场所名称, 场所类型 (label, key or alias), 地址, 卡点名称. Rows naming the same place in the same
 * community share it; a place that already exists (enabled) is reused and a gate it already has is
 * left as is. All or nothing: any row error imports nothing and returns every row's errors.
 */
import type { AppContext } from '../../context';
import { AppError, conflict } from '../../lib/errors';
import { mapHeaders, SpreadsheetError } from '../../lib/spreadsheet';
import { readTableOffThread } from '../../lib/spreadsheet-thread';
import { audit } from '../audit/audit';
import { staffActor, type StaffUser } from '../staff/auth';
import { inScope } from '../staff/roles';
import { kindLabel, parseKind, PLACE_KINDS, PLACE_KIND_LABELS, type PlaceKind } from './kinds';
import { likeEscape } from './repository';
import { newToken } from './tokens';

/** Data rows accepted in one file. */
export const IMPORT_MAX_ROWS = 20_000;
/** Row errors returned at most (the total is in `errorCount`). */
export const IMPORT_MAX_ERRORS = 1_000;

const ALIASES = {
  communityCode: ['社区编码', '社区代码', '社区(村)编码', '村(社区)编码', '区划代码', '行政区划代码', 'communityCode', 'community code'],
  communityName: ['社区名称', '社区', '社区(村)', '村(社区)', '所属社区', '社区/村', 'community', 'community name'],
  streetName: ['街道', '街道名称', '乡镇', '街道(乡镇)', '乡镇(街道)', '所属街道', 'street'],
  placeName: ['场所名称', '场所', '小区名称', '单位名称', 'place', 'place name'],
  kind: ['场所类型', '类型', 'kind', 'place kind', 'type'],
  address: ['地址', '详细地址', '场所地址', 'address'],
  checkpointName: ['卡点名称', '卡点', '出入口', '门岗', 'checkpoint', 'gate'],
};
type Field = keyof typeof ALIASES;
const FIELD_LABELS: Record<Field, [string, string]> = {
  communityCode: ['社区编码', 'community code'], communityName: ['社区名称', 'community name'], streetName: ['街道', 'street'],
  placeName: ['场所名称', 'place name'], kind: ['场所类型', 'place kind'], address: ['地址', 'address'], checkpointName: ['卡点名称', 'checkpoint name'],
};

/** One problem of one row; `line` is the spreadsheet row number, `field` the column's standard name. */
export interface ImportRowError { line: number; field: string; zh: string; en: string }

export interface ImportResult {
  dryRun: boolean;
  ok: boolean; // false: nothing was (or would be) imported
  rows: number;
  placesNew: number; placesExisting: number; checkpointsNew: number; checkpointsExisting: number;
  errors: ImportRowError[]; errorCount: number;
  /** The places of the file (first 500): what would be / was created. */
  places: { line: number; communityCode: string; communityName: string; name: string; kind: PlaceKind; kindLabel: string; isNew: boolean;
    newCheckpoints: string[]; existingCheckpoints: string[] }[];
}

interface PlannedPlace {
  line: number; communityCode: string; communityName: string; name: string; kind: PlaceKind; address: string;
  existingId: string | null; existingGates: Set<string>; gates: Map<string, number>; // gate name → line
  newGates: string[]; keptGates: string[];
}

const chars = (s: string) => [...s].length;
const hasControl = (s: string) => /[\p{Cc}]/u.test(s);
const normName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');
const shortKey = (s: string) => normName(s).replace(/(社区居民委员会|居民委员会|村民委员会|居委会|村委会|社区|村)$/, '');

/**
 * Read, validate and (unless `dryRun`) import a spreadsheet of places and checkpoints in one
 * transaction, with new tokens for new checkpoints. Communities must be level-5 areas in the
 * caller's scope. @throws AppError 400 for whole-file problems (unreadable, missing columns),
 * 409 when a concurrent change collides; row problems are returned in `errors` (ok = false).
 */
export async function importPlaces(ctx: AppContext, staff: StaffUser, buf: Buffer, filename: string, opts: { dryRun: boolean }): Promise<ImportResult> {
  let table;
  try {
    table = await readTableOffThread(buf, filename, { maxRows: IMPORT_MAX_ROWS });
  } catch (e) {
    if (e instanceof SpreadsheetError) throw new AppError(400, e.code, { zh: e.zh, en: e.en });
    throw e;
  }
  const { mapping: m, duplicate } = mapHeaders(table.headers, ALIASES);
  if (duplicate.length) {
    throw new AppError(400, 'duplicate_header', { zh: `表头重复：${duplicate.join('、')}`, en: `Columns given twice: ${duplicate.join(', ')}` });
  }
  const need: Field[] = ['placeName', 'kind', 'checkpointName'];
  const missing = need.filter((f) => !m[f]);
  if (!m.communityCode && !m.communityName) missing.unshift('communityCode');
  if (missing.length) {
    throw new AppError(400, 'missing_columns', {
      zh: `缺少必填列：${missing.map((f) => f === 'communityCode' ? '社区编码（或社区名称）' : FIELD_LABELS[f][0]).join('、')}`,
      en: `Missing required columns: ${missing.map((f) => f === 'communityCode' ? 'community code (or community name)' : FIELD_LABELS[f][1]).join(', ')}`,
    });
  }

  // Communities (and their streets) in scope, to resolve codes and names.
  const named = m.communityCode ? [...new Set(table.rows.map((r) => (r.cells[m.communityCode!] ?? '').trim()).filter((c) => /^\d{12}$/.test(c)))] : [];
  const areas = await ctx.db.selectFrom('areas as a').leftJoin('areas as s', 's.code', 'a.parent_code')
    .select(['a.code', 'a.name', 'a.level', 's.name as street_name'])
    .where((eb) => eb.or([
      eb.and([eb('a.code', 'like', `${likeEscape(staff.areaCode)}%`), eb('a.level', '=', 5)]),
      ...(named.length ? [eb('a.code', 'in', named)] : []),
    ])).execute();
  const byCode = new Map(areas.map((a) => [a.code, a]));
  // By exact name, and by the name without its 社区/村/居委会 suffix (villages are stored without 村).
  const byName = new Map<string, typeof areas>();
  const byShort = new Map<string, typeof areas>();
  for (const a of areas) {
    if (a.level !== 5 || !inScope(staff.areaCode, a.code)) continue;
    for (const [map, k] of [[byName, normName(a.name)], [byShort, shortKey(a.name)]] as const) map.set(k, [...(map.get(k) ?? []), a]);
  }

  const errors: ImportRowError[] = [];
  const err = (line: number, field: Field | string, zh: string, en: string) => errors.push({ line, field, zh: `第 ${line} 行：${zh}`, en: `Line ${line}: ${en}` });
  const cell = (r: { cells: Record<string, string> }, f: Field) => (m[f] ? (r.cells[m[f]!] ?? '') : '').trim();
  const planned = new Map<string, PlannedPlace>();
  const kinds = PLACE_KINDS.map((k) => PLACE_KIND_LABELS[k].zh).join('、');

  for (const r of table.rows) {
    for (const ce of r.errors) err(r.line, ce.column, ce.zh.replace(/^第 \d+ 行/, ''), ce.en.replace(/^Line \d+, /, ''));
    const [code, cname, street, name, kindText, address, gate] =
      (['communityCode', 'communityName', 'streetName', 'placeName', 'kind', 'address', 'checkpointName'] as const).map((f) => cell(r, f));
    let community: (typeof areas)[number] | undefined;
    if (code) {
      const a = byCode.get(code);
      if (!/^\d{12}$/.test(code) || !a) err(r.line, 'communityCode', `社区编码“${code}”不存在（应为 12 位数字）`, `unknown community code "${code}" (12 digits expected)`);
      else if (a.level !== 5) err(r.line, 'communityCode', `“${a.name}”不是社区或村`, `"${a.name}" is not a community or village`);
      else if (!inScope(staff.areaCode, code)) err(r.line, 'communityCode', `社区“${a.name}”不在您的管辖范围内`, `community "${a.name}" is outside your area`);
      else if (cname && normName(cname) !== normName(a.name)) {
        err(r.line, 'communityName', `社区名称“${cname}”与编码 ${code}（${a.name}）不一致`, `community name "${cname}" does not match code ${code} (${a.name})`);
      } else community = a;
    } else if (cname) {
      let found = byName.get(normName(cname)) ?? byShort.get(shortKey(cname)) ?? [];
      if (street) found = found.filter((a) => a.street_name && normName(a.street_name) === normName(street));
      if (found.length === 1) community = found[0];
      else if (found.length === 0) err(r.line, 'communityName', `在您的管辖范围内找不到社区“${cname}”${street ? `（${street}）` : ''}`, `no community "${cname}"${street ? ` (${street})` : ''} in your area`);
      else err(r.line, 'communityName', `社区“${cname}”有重名，请填写社区编码或街道`, `several communities are named "${cname}"; give the community code or the street`);
    } else err(r.line, 'communityCode', '社区编码和社区名称都为空', 'community code and name are both empty');

    if (!name) err(r.line, 'placeName', '场所名称为空', 'place name is empty');
    else if (chars(name) > 100 || hasControl(name)) err(r.line, 'placeName', '场所名称过长（最多 100 字）或含控制字符', 'place name is longer than 100 characters or has control characters');
    const kind = kindText ? parseKind(kindText) : null;
    if (!kind) err(r.line, 'kind', kindText ? `场所类型“${kindText}”无法识别，可填：${kinds}` : `场所类型为空，可填：${kinds}`, `unknown place kind "${kindText}"; use one of ${PLACE_KINDS.join(', ')}`);
    if (chars(address) > 200 || hasControl(address)) err(r.line, 'address', '地址过长（最多 200 字）或含控制字符', 'address is longer than 200 characters or has control characters');
    if (!gate) err(r.line, 'checkpointName', '卡点名称为空（每行一个卡点，如“东门”）', 'checkpoint name is empty (one checkpoint per row, e.g. "East gate")');
    else if (chars(gate) > 60 || hasControl(gate)) err(r.line, 'checkpointName', '卡点名称过长（最多 60 字）或含控制字符', 'checkpoint name is longer than 60 characters or has control characters');
    if (!community || !name || !kind || !gate) continue;

    const key = `${community.code}\u0000${name}`;
    let p = planned.get(key);
    if (!p) {
      p = { line: r.line, communityCode: community.code, communityName: community.name, name, kind, address, existingId: null,
        existingGates: new Set(), gates: new Map(), newGates: [], keptGates: [] };
      planned.set(key, p);
    } else if (p.kind !== kind) {
      err(r.line, 'kind', `同一场所在第 ${p.line} 行的类型是“${kindLabel(p.kind)}”，此处是“${kindLabel(kind)}”`, `the same place has kind "${p.kind}" on line ${p.line}`);
    } else if (address && p.address && address !== p.address) {
      err(r.line, 'address', `同一场所在第 ${p.line} 行的地址不同`, `the same place has a different address on line ${p.line}`);
    } else if (address) p.address = address;
    const seen = p.gates.get(gate);
    if (seen !== undefined) err(r.line, 'checkpointName', `卡点“${gate}”与第 ${seen} 行重复`, `checkpoint "${gate}" repeats line ${seen}`);
    else p.gates.set(gate, r.line);
  }

  // Places that already exist (enabled) are reused; their enabled gates are kept.
  const list = [...planned.values()];
  const codes = [...new Set(list.map((p) => p.communityCode))];
  for (let i = 0; i < codes.length; i += 500) {
    const rows = await ctx.db.selectFrom('places as p').leftJoin('checkpoints as c', (j) => j.onRef('c.place_id', '=', 'p.id').on('c.disabled_at', 'is', null))
      .select(['p.id', 'p.community_code', 'p.name', 'p.kind', 'c.name as gate'])
      .where('p.community_code', 'in', codes.slice(i, i + 500)).where('p.disabled_at', 'is', null).execute();
    for (const row of rows) {
      const p = planned.get(`${row.community_code}\u0000${row.name}`);
      if (!p) continue;
      if (row.kind !== p.kind) {
        if (!p.existingId) err(p.line, 'kind', `场所“${p.name}”已存在，类型为“${kindLabel(row.kind)}”`, `place "${p.name}" already exists with kind "${row.kind}"`);
      }
      p.existingId = row.id;
      if (row.gate) p.existingGates.add(row.gate);
    }
  }
  for (const p of list) for (const g of p.gates.keys()) (p.existingGates.has(g) ? p.keptGates : p.newGates).push(g);

  errors.sort((a, b) => a.line - b.line);
  const result: ImportResult = {
    dryRun: opts.dryRun, ok: errors.length === 0, rows: table.rows.length,
    placesNew: list.filter((p) => !p.existingId).length, placesExisting: list.filter((p) => p.existingId).length,
    checkpointsNew: list.reduce((s, p) => s + p.newGates.length, 0), checkpointsExisting: list.reduce((s, p) => s + p.keptGates.length, 0),
    errors: errors.slice(0, IMPORT_MAX_ERRORS), errorCount: errors.length,
    places: list.slice(0, 500).map((p) => ({ line: p.line, communityCode: p.communityCode, communityName: p.communityName, name: p.name,
      kind: p.kind, kindLabel: kindLabel(p.kind), isNew: !p.existingId, newCheckpoints: p.newGates, existingCheckpoints: p.keptGates })),
  };
  if (table.rows.length === 0) {
    result.ok = false;
    result.errors = [{ line: 1, field: '', zh: '文件中没有数据行', en: 'The file has no data rows' }];
    result.errorCount = 1;
  }
  if (!result.ok || opts.dryRun) return result;
  await write(ctx, staff, list, filename, result);
  return result;
}

async function write(ctx: AppContext, staff: StaffUser, list: PlannedPlace[], filename: string, result: ImportResult) {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const fresh = list.filter((p) => !p.existingId);
      for (let i = 0; i < fresh.length; i += 1000) {
        const chunk = fresh.slice(i, i + 1000);
        const ids = await trx.insertInto('places').values(chunk.map((p) => ({
          community_code: p.communityCode, name: p.name, kind: p.kind, address: p.address, created_by: staff.id,
        }))).returning(['id', 'community_code', 'name']).execute();
        const byKey = new Map(ids.map((r) => [`${r.community_code}\u0000${r.name}`, r.id]));
        for (const p of chunk) p.existingId = byKey.get(`${p.communityCode}\u0000${p.name}`)!;
      }
      const gates = list.flatMap((p) => p.newGates.map((name) => ({ place_id: p.existingId!, name })));
      for (let i = 0; i < gates.length; i += 1000) {
        const ids = await trx.insertInto('checkpoints').values(gates.slice(i, i + 1000)).returning('id').execute();
        await trx.insertInto('checkpoint_tokens').values(ids.map((c) => ({ token: newToken(), checkpoint_id: c.id }))).execute();
      }
      await audit(trx, staffActor(staff), { action: 'places.import', areaCode: staff.areaCode,
        detail: { filename, rows: result.rows, placesNew: result.placesNew, checkpointsNew: result.checkpointsNew } });
    });
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw conflict('import_conflict', '导入期间有同名场所被他人创建，请重新导入', 'A place of the same name was created meanwhile; import again');
    }
    throw e;
  }
}
