/**
 * Body temperature as typed at a gate: "36.5", "36,5" (comma decimal, common on phones set to
 * European locales), "36.5℃", full-width digits. Fever threshold and plausible range are config
 * values (SPEC "Rules": 37.3 °C; 34.0–42.5 °C).
 */
import { badRequest } from '../../lib/errors';

export interface TemperatureRules {
  FEVER_THRESHOLD_C: number;
  TEMP_MIN_C: number;
  TEMP_MAX_C: number;
}

/**
 * Parse a reading to °C with one decimal.
 * @throws AppError 400 'temperature_format' (not a number) or 'temperature_range' (implausible).
 */
export function parseTemperature(raw: unknown, rules: TemperatureRules): number {
  let text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : '';
  text = text
    .normalize('NFKC') // full-width digits and punctuation → ASCII
    .trim()
    .replace(/\s*(°\s*C|℃|度)$/i, '')
    .replace(/^(\d{2}),(\d)$/, '$1.$2');
  if (!/^\d{2}(\.\d{1,2})?$/.test(text)) {
    throw badRequest('temperature_format', '体温格式不正确，请输入如 36.5 的数字', 'Temperature must be a number such as 36.5');
  }
  const value = Math.round(Number(text) * 10) / 10;
  if (value < rules.TEMP_MIN_C || value > rules.TEMP_MAX_C) {
    throw badRequest(
      'temperature_range',
      `体温 ${value}℃ 不在合理范围（${rules.TEMP_MIN_C}–${rules.TEMP_MAX_C}℃），请重新测量`,
      `Temperature ${value} °C is outside ${rules.TEMP_MIN_C}–${rules.TEMP_MAX_C} °C; please measure again`,
    );
  }
  return value;
}

/** A reading at or above the threshold is a fever (SPEC S1: ≥ 37.3 °C refuses entry). */
export function isFever(celsius: number, rules: TemperatureRules): boolean {
  return celsius >= rules.FEVER_THRESHOLD_C;
}
