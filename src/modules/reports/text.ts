/**
 * The generated Chinese report paragraph (疫情通报, SPEC S5), from the figures only (compute.ts), so
 * it never says anything the figures do not. Sentences, in order:
 * 1. 截至Y年M月D日24时，<区域>累计报告确诊病例N例（其中境外/外地输入I例：<来源>N例、…；本地病例L例，
 *    含二代病例S例），当日新增确诊病例N例；现有疑似病例N例；[当日新增治愈出院N例，]累计治愈出院N例[，累计死亡N例]，
 *    现有住院病例N例, then ；已连续N天无新增确诊病例。 (N ≥ 1) / ；尚无确诊病例报告。 (none yet) / 。 (N = 0: the
 *    new cases of the day are already named). The discharges of the day are named when there are any.
 *    The parenthesis is left out when there is no confirmed case; a part of it is left out when 0.
 *    Second-generation cases are named under local cases (a case infected by a case here is local);
 *    when there is no local case they form their own part.
 * 2. 累计追踪密切接触者N人，已解除医学观察N人，尚在医学观察N人。
 * 3. When cleared (clearedOn set): 现有病例已于M月D日全部清零，… 28-day all-clear sentence.
 */
import type { SituationFigures } from './compute';

/** 'M月D日' of a China date 'YYYY-MM-DD'. */
export const monthDay = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
/** 'Y年M月D日' of a China date. */
export const fullDate = (d: string) => `${d.slice(0, 4)}年${monthDay(d)}`;
/** '截至M月D日24时' (the report's "as of"). */
export const asOfText = (d: string) => `截至${monthDay(d)}24时`;

function composition(f: SituationFigures): string {
  if (f.cumulativeConfirmed === 0) return '';
  const parts: string[] = [];
  if (f.imported > 0) {
    const src = f.importedBySource.map((s) => `${s.sourceArea}${s.count}例`).join('、');
    parts.push(`境外/外地输入${f.imported}例${src ? `：${src}` : ''}`);
  }
  if (f.local > 0) parts.push(`本地病例${f.local}例${f.secondGeneration > 0 ? `，含二代病例${f.secondGeneration}例` : ''}`);
  else if (f.secondGeneration > 0) parts.push(`二代病例${f.secondGeneration}例`);
  return parts.length ? `（其中${parts.join('；')}）` : '';
}

/** The end of sentence 1: days without a new confirmed case (N ≥ 1), none yet, or just the full stop. */
function daysSentence(f: SituationFigures): string {
  if (f.daysWithoutNewConfirmed === null) return '；尚无确诊病例报告。';
  if (f.daysWithoutNewConfirmed <= 0) return '。';
  return `；已连续${f.daysWithoutNewConfirmed}天无新增确诊病例。`;
}

function clearedSentence(f: SituationFigures, allClearDays: number): string {
  if (!f.clearedOn || !f.allClearOn) return '';
  const head = `现有病例已于${monthDay(f.clearedOn)}全部清零（无住院病例、无疑似病例），`;
  if (f.allClear) return `${head}至${monthDay(f.allClearOn)}已满${allClearDays}天，达到解除标准。`;
  return `${head}如无新发病例，将于${monthDay(f.allClearOn)}满${allClearDays}天，届时达到解除标准。`;
}

/**
 * The report paragraph for area `areaName` on China date `date` (sentences in the header).
 * @param allClearDays ALL_CLEAR_DAYS (28), named in the all-clear sentence.
 */
export function reportText(areaName: string, date: string, f: SituationFigures, allClearDays: number): string {
  const deceased = f.cumulativeDeceased > 0 ? `，累计死亡${f.cumulativeDeceased}例` : '';
  const discharged = f.newDischarged > 0 ? `当日新增治愈出院${f.newDischarged}例，` : '';
  return `截至${fullDate(date)}24时，${areaName}累计报告确诊病例${f.cumulativeConfirmed}例${composition(f)}，`
    + `当日新增确诊病例${f.newConfirmed}例；现有疑似病例${f.currentSuspected}例；${discharged}累计治愈出院${f.cumulativeDischarged}例${deceased}，`
    + `现有住院病例${f.currentlyHospitalised}例${daysSentence(f)}`
    + `累计追踪密切接触者${f.cumulativeTraced}人，已解除医学观察${f.released}人，尚在医学观察${f.underObservation}人。`
    + clearedSentence(f, allClearDays);
}
