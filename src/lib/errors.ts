/**
 * Errors a user sees. Every refusal carries a stable `code` and a message in both locales; the
 * HTTP layer picks the caller's language (zh-CN default, en second) and never leaks a stack.
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: Bilingual,
    readonly details?: Record<string, unknown>,
  ) {
    super(messages.en);
    this.name = 'AppError';
  }
}

/** 400 with a reason. */
export const badRequest = (code: string, zh: string, en: string, details?: Record<string, unknown>) =>
  new AppError(400, code, { zh, en }, details);
/** 404: also used for records outside the caller's area, so their existence is not revealed. */
export const notFound = (zh = '未找到该记录', en = 'Not found') => new AppError(404, 'not_found', { zh, en });
export const forbidden = (zh = '无权执行此操作', en = 'You are not allowed to do this') =>
  new AppError(403, 'forbidden', { zh, en });
export const unauthorized = (zh = '请先登录', en = 'Please sign in') => new AppError(401, 'unauthorized', { zh, en });
export const conflict = (code: string, zh: string, en: string) => new AppError(409, code, { zh, en });

export type Lang = 'zh' | 'en';

/** Language from `?lang=`, the `lang` cookie or Accept-Language; Chinese unless English is asked for. */
export function pickLang(acceptLanguage: string | undefined, explicit?: string): Lang {
  if (explicit === 'en' || explicit === 'zh') return explicit;
  if (!acceptLanguage) return 'zh';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}
