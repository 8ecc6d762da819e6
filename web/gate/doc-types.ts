/**
 * English labels of the document types a certificate names in its claim `dt` (the Chinese label,
 * src/modules/certificates/issue.ts docTypeLabel), from the server's one list.
 */
import { DOC_TYPE_LABELS } from '../../src/modules/persons/doc-types';
import type { Lang } from '../shared/lang';

/** The claim `dt` (a Chinese label) in `lang`: the English label when it is a known type, else as given. */
export function docTypeText(dt: string, lang: Lang): string {
  if (lang === 'zh') return dt;
  return Object.values(DOC_TYPE_LABELS).find((l) => l.zh === dt)?.en ?? dt;
}
