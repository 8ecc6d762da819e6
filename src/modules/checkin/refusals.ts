/**
 * The words for a check-in's refusal code, where a person or staff read it (我的, the check-in
 * export): never the code itself. A token's refusal uses the words the guard saw at the gate
 * (tokens/verify-core.ts).
 */
import { REFUSAL_MESSAGES } from '../tokens/verify-core';

const REFUSAL_LABELS: Record<string, [string, string]> = {
  status_barred: ['人员状态禁止通行', 'status bars movement'],
  fever: ['体温异常', 'fever'],
  ...Object.fromEntries(Object.entries(REFUSAL_MESSAGES).map(([code, m]) => [code, [m.zh, m.en] as [string, string]])),
};

/** The label of refusal `code` in `lang`; an unknown code is shown as it is, null as ''. */
export function refusalLabel(code: string | null, lang: 'zh' | 'en' = 'zh'): string {
  if (!code) return '';
  return REFUSAL_LABELS[code]?.[lang === 'zh' ? 0 : 1] ?? code;
}
