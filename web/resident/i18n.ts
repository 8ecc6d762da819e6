/**
 * The resident pages' two locales: zh-CN by default, English as the second (SPEC "Language").
 * The choice persists in localStorage and in the `lang` cookie, which the server reads to answer
 * error messages and labels in the same language (src/lib/errors.ts pickLang).
 */
import { h } from './dom';
import { persistLang, savedLang, type Lang } from '../shared/lang';

export type { Lang } from '../shared/lang';

const S = {
  appName: ['一区一码', 'One Area One Code'],
  switchLang: ['English', '中文'],
  loading: ['正在加载…', 'Loading…'],
  name: ['姓名', 'Name'],
  docType: ['证件类型', 'Document type'],
  docNumber: ['证件号码', 'Document number'],
  phone: ['手机号码', 'Mobile number'],
  street: ['所在街道', 'Street / township'],
  community: ['所在社区', 'Community'],
  address: ['住址', 'Address'],
  addressPh: ['3号楼2单元501', 'Bldg 3, Unit 2, Room 501'],
  optional: ['选填', 'optional'],
  privacyLine: ['信息仅用于疫情防控，打卡记录保留28天后自动删除', 'Used for epidemic control only; check-in records are deleted automatically after 28 days'],
  register: ['登记', 'Register'],
  registerTitle: ['首次扫码，请先登记', 'First scan: please register'],
  dependentTitle: ['添加同行人员', 'Add a person travelling with you'],
  dependentHint: ['如家中老人、孩子，与您一起打卡', 'e.g. an elderly parent or a child who checks in with you'],
  addDependent: ['添加同行人员', 'Add a person travelling with you'],
  cancel: ['取消', 'Cancel'],
  required: ['请填写此项', 'Please fill this in'],
  fixErrors: ['请按提示修改后再提交', 'Please correct the fields marked below'],
  persons: ['打卡人员', 'Who is checking in'],
  self: ['本人', 'me'],
  dependent: ['同行人员', 'companion'],
  temperature: ['体温', 'Temperature'],
  enter: ['进入', 'Enter'],
  leave: ['离开', 'Leave'],
  leaveNoTemp: ['离开无需测温', 'No temperature needed to leave'],
  me: ['我的', 'My page'],
  needTemp: ['请输入体温，如 36.5', 'Please enter your temperature, e.g. 36.5'],
  needPerson: ['请至少选择一位打卡人员', 'Please choose at least one person'],
  pass: ['通行', 'Pass'],
  refused: ['禁止通行', 'No entry'],
  back: ['返回', 'Back'],
  direction: ['方向', 'Direction'],
  sending: ['正在提交…', 'Sending…'],
  netError: ['网络连接失败，请检查网络后点“重试”。重试不会重复打卡。', 'Network error. Check your connection and tap “Retry”. Retrying never checks in twice.'],
  busy: ['服务器繁忙，请稍后点“重试”。重试不会重复打卡。', 'The server is busy. Tap “Retry” in a moment. Retrying never checks in twice.'],
  netErrorPlain: ['网络连接失败，请检查网络后重试', 'Network error: check your connection and try again'],
  retry: ['重试', 'Retry'],
  codeUnknown: ['此码无法识别', 'This code is not recognised'],
  codeRevoked: ['此码已作废', 'This code has been withdrawn'],
  codeDisabled: ['此卡点已停用', 'This checkpoint is closed'],
  codeHint: ['请扫描现场张贴的最新二维码，或联系卡点工作人员', 'Please scan the current code posted at the gate, or ask the staff'],
  noToken: ['请用手机扫描场所门口的二维码', 'Please scan the QR code posted at the entrance'],
  myTitle: ['我的', 'My page'],
  notRegistered: ['此手机尚未登记。请扫描场所门口的二维码完成登记。', 'This phone is not registered yet. Scan the QR code at an entrance to register.'],
  backToCheckin: ['返回打卡', 'Back to check-in'],
  status: ['健康状态', 'Status'],
  since: ['起始', 'since'],
  statusHistory: ['状态变更记录', 'Status history'],
  myCheckins: ['我的打卡记录', 'My check-ins'],
  reads: ['谁查看了我的信息', 'Who has read my record'],
  privacy: ['隐私说明', 'Privacy notice'],
  purpose: ['用途', 'Purpose'],
  retention: ['保存期限', 'Retention'],
  days: ['{0}天', '{0} days'],
  myDependents: ['我的同行人员', 'People travelling with me'],
  remove: ['移除', 'Remove'],
  removed: ['已移除', 'Removed'],
  none: ['暂无', 'None'],
  duplicate: ['重复扫码：沿用 {0} 的打卡记录', 'Scanned again: the check-in of {0} stands'],
  passTitle: ['我的通行码', 'My pass code'],
  passHint: ['请向卡点工作人员出示，由工作人员扫码核验。截图、照片无效', 'Show it to the gate staff, who scan it. Screenshots and photos do not work'],
  refreshIn: ['{0} 秒后自动刷新', 'Refreshes in {0} s'],
  refreshing: ['正在刷新…', 'Refreshing…'],
  passExpired: ['通行码已失效，请联网后点“刷新”', 'This code has expired: go online and tap “Refresh”'],
  refresh: ['刷新', 'Refresh'],
  choosePerson: ['选择人员', 'Choose a person'],
  passQr: ['{0} 的通行码二维码', 'Pass code of {0}'],
  personalTitle: ['这是个人通行码', 'This is a personal pass code'],
  personalHint: ['个人通行码和通行卡由卡点工作人员用核验设备扫描。进出登记请扫描卡点张贴或值守屏幕上的二维码。', 'Personal pass codes and cards are scanned by the gate staff\'s device. To check in, scan the code posted at the gate or shown on the guard\'s screen.'],
  badCode: ['无法识别的二维码', 'This code is not recognised'],
  badCodeHint: ['这不是一区一码的二维码。请扫描卡点张贴或值守屏幕上的二维码。', 'This is not a Yiqu code. Scan the code posted at the gate or shown on the guard\'s screen.'],
  codeExpired: ['二维码已更新', 'The code has changed'],
  codeScreen: ['此卡点已改用屏幕动态码', 'This checkpoint now shows its code on a screen'],
  declareTitle: ['健康申报', 'Health declaration'],
  certTitle: ['健康申报证明', 'Health declaration certificate'],
  myDeclarations: ['健康申报 / 我的证明', 'Health declaration / my certificate'],
  certVerifyTitle: ['健康申报证明核验', 'Certificate check'],
  certValid: ['证明有效', 'Certificate valid'],
  certInvalid: ['证明无效', 'Certificate not valid'],
  certCheckId: ['请核对持证人的身份证件与上述姓名、证件号码一致', 'Check that the holder\'s ID card matches the name and number above'],
  validUntil: ['有效期至', 'Valid until'],
  chinaTime: ['（北京时间）', ' (China time)'],
} satisfies Record<string, [string, string]>;

export type Key = keyof typeof S;

/** Document type codes in form order and their labels (same as src/modules/persons/identity.ts). */
export const DOC_TYPES: Array<[string, string, string]> = [
  ['resident_id', '居民身份证', 'Resident Identity Card'],
  ['hk_macao_permit', '港澳居民来往内地通行证', 'Mainland Travel Permit for HK/Macao Residents'],
  ['taiwan_permit', '台湾居民来往大陆通行证', 'Mainland Travel Permit for Taiwan Residents'],
  ['hk_macao_tw_residence_permit', '港澳台居民居住证', 'Residence Permit for HK, Macao, Taiwan Residents'],
  ['passport', '护照', 'Passport'],
  ['foreign_permanent_residence', '外国人永久居留身份证', 'Foreign Permanent Resident ID Card'],
];

export let lang: Lang = 'zh';
let listener: () => void = () => {};

/** Text of `key` in the current language; `{0}`, `{1}` … replaced by `args`. */
export function t(key: Key, ...args: Array<string | number>): string {
  return S[key][lang === 'zh' ? 0 : 1].replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

/** Picks the zh or en member of a pair. */
export function tr(zh: string, en: string): string {
  return lang === 'zh' ? zh : en;
}

/** Sets the language, persists it (localStorage + `lang` cookie, one year) and sets <html lang>. */
export function setLang(l: Lang): void {
  lang = l;
  persistLang(l);
  document.title = t('appName');
}

/** Reads the saved language (zh-CN unless English was chosen) and re-sends it to the server. */
export function initLang(onChange: () => void): void {
  listener = onChange;
  setLang(savedLang() ?? 'zh');
}

/** The language switch button: shows the other language's name; re-renders the current page. */
export function langButton(): HTMLButtonElement {
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  return h('button', {
    type: 'button', class: 'lang', lang: other === 'zh' ? 'zh-CN' : 'en',
    onclick: () => { setLang(other); listener(); },
  }, t('switchLang'));
}
