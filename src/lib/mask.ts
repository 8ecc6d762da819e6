/**
 * Masking of personal data for display (SPEC S1 pass screen "masked name"; lists and exports that
 * must not show full identities). Pure functions; they never return the input unchanged unless it
 * is empty, and they never split a surrogate pair (rare characters such as 𠈌 U+2020C count as one).
 */

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

/** User-perceived characters (grapheme clusters): a supplementary-plane character, or a letter with
 * its combining marks / variation selector, is one unit. */
function graphemes(s: string): string[] {
  return Array.from(segmenter.segment(s), (x) => x.segment);
}

/**
 * Masks a name, counting user-perceived characters (so 𠈌 is one):
 * - 1 character → '*'
 * - 2 characters → first + '*' (张三 → 张*)
 * - n ≥ 3 → first + '*' × (n − 2) + last (张三丰 → 张*丰, 张小三 → 张*三).
 * The same rule applies to every script and to the whole string: separators ('·', spaces) inside
 * are masked like letters, so word lengths are not revealed beyond the total length
 * (阿沛·阿旺晋美 → 阿*****美, 'John SMITH' → 'J********H').
 * Surrounding whitespace is ignored; an empty name gives ''.
 */
export function maskName(name: string): string {
  const g = graphemes(String(name ?? '').trim());
  if (g.length === 0) return '';
  if (g.length === 1) return '*';
  if (g.length === 2) return `${g[0]}*`;
  return g[0] + '*'.repeat(g.length - 2) + g[g.length - 1];
}

function keepEnds(chars: string[], head: number, tail: number): string {
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/**
 * Masks a document number (pass it normalized):
 * - 15 characters or more (resident ID, residence permit, foreign permanent residence card):
 *   first 6 and last 4 visible (410811********1234);
 * - 7–14 characters (passports, travel permits): first 2 and last 2 (E1*****78);
 * - 3–6 characters: first 1 and last 1; 1–2 characters: all '*'.
 */
export function maskDocNumber(number: string): string {
  const c = [...String(number ?? '').trim()];
  if (c.length >= 15) return keepEnds(c, 6, 4);
  if (c.length >= 7) return keepEnds(c, 2, 2);
  if (c.length >= 3) return keepEnds(c, 1, 1);
  return '*'.repeat(c.length);
}

/**
 * Masks a phone number (pass it normalized, e.g. from validatePhone): 11 digits → first 3 + '****'
 * + last 4 (13812345678 → 138****5678). Other lengths: ≥ 8 characters keep first 3 and last 4,
 * 5–7 keep the last 2, shorter ones are all '*'.
 */
export function maskPhone(phone: string): string {
  const c = [...String(phone ?? '').trim()];
  if (c.length >= 8) return keepEnds(c, 3, 4);
  if (c.length >= 5) return keepEnds(c, 0, 2);
  return '*'.repeat(c.length);
}

/**
 * Search text as it may be kept in the audit log: any run of 7 or more digits (an ID number, a
 * passport or a phone typed into a search box) is masked with maskDocNumber, the rest kept, at
 * most 100 characters. '张 410811199001011234' → '张 410811********1234'; case numbers such as
 * '410811-0001' (runs of 6 and 4) stay readable.
 */
export function auditSearchText(q: string): string {
  return q.slice(0, 100).replace(/[0-9]{7,}[0-9Xx]?/g, (run) => maskDocNumber(run));
}
