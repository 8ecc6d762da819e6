/**
 * The gate page's two locales: zh-CN by default, English second (SPEC "Language"), kept in the
 * same `lang` localStorage key and cookie as the resident pages (web/resident/i18n.ts), so the
 * server answers reasons and errors in the same language.
 */
import type { Bilingual } from './types';

import { persistLang, savedLang, type Lang } from '../shared/lang';

export type { Lang } from '../shared/lang';

const S = {
  appName: ['一区一码 卡点核验', 'Yiqu gate check'],
  switchLang: ['English', '中文'],
  loading: ['正在加载…', 'Loading…'],
  online: ['在线', 'Online'],
  offline: ['离线', 'Offline'],
  queue: ['待上传 {0} 条', '{0} waiting to upload'],
  queueEmpty: ['全部已上传', 'All uploaded'],
  lastSync: ['上次同步 {0}', 'Synced {0}'],
  neverSynced: ['尚未同步', 'Not synced yet'],
  syncNow: ['立即同步', 'Sync now'],
  signIn: ['请先登录工作台', 'Please sign in to the console first'],
  signInHint: ['登录后在“卡点值守”页点“扫码核验”回到本页。', 'After signing in, open “Scan codes” on the Gate page to come back here.'],
  signInLink: ['去登录', 'Sign in'],
  sessionEnded: ['登录已过期：扫码记录暂存本机，重新登录后自动上传', 'Session ended: scans stay on this device and upload after you sign in again'],
  noPermission: ['此账号没有卡点值守权限', 'This account may not operate a gate'],
  needHttps: ['此页面需要安全连接（https 或本机 localhost）才能验证二维码和使用摄像头', 'This page needs a secure connection (https or localhost) to verify codes and use the camera'],
  checkpoint: ['卡点', 'Checkpoint'],
  place: ['场所', 'Place'],
  searchPlace: ['输入场所名称搜索', 'Type a place name'],
  pickPlace: ['选择场所', 'Choose a place'],
  pickCheckpoint: ['选择卡点', 'Choose a checkpoint'],
  changeCheckpoint: ['更换卡点', 'Change checkpoint'],
  noCheckpoint: ['您的账号未分配值守卡点，请联系社区管理员在账号管理中设置', 'No checkpoint is assigned to your account; ask your administrator'],
  needSync: ['本机还没有此卡点的密钥和名单：请联网打开一次本页', 'This device has no keys for this checkpoint yet: open this page online once'],
  direction: ['方向', 'Direction'],
  dirIn: ['进', 'In'],
  dirOut: ['出', 'Out'],
  tabScan: ['扫码核验', 'Scan codes'],
  tabScreen: ['屏幕码', 'Screen code'],
  camera: ['摄像头', 'Camera'],
  cameraStart: ['打开摄像头', 'Start camera'],
  cameraStop: ['关闭摄像头', 'Stop camera'],
  cameraError: ['无法打开摄像头：{0}', 'Cannot open the camera: {0}'],
  cameraTimeout: ['摄像头启动超时，请再点「打开摄像头」；仍不行请刷新页面（{0}）', 'The camera did not start in time: tap Start camera again, or reload the page ({0})'],
  cameraHint: ['将居民的通行码或通行卡对准摄像头', 'Hold the pass code or card in front of the camera'],
  codeInput: ['输入或粘贴通行码', 'Type or paste a code'],
  check: ['核验', 'Check'],
  waiting: ['请扫描居民的通行码或通行卡', 'Scan a pass code or card'],
  pass: ['通行', 'Pass'],
  refused: ['禁止通行', 'No entry'],
  unknownPerson: ['无法识别的人员', 'Unknown person'],
  status: ['健康状态', 'Status'],
  temperature: ['体温', 'Temperature'],
  tempHint: ['进入须测温，如 36.5', 'Needed to enter, e.g. 36.5'],
  needTemp: ['请输入测得的体温', 'Enter the measured temperature'],
  confirm: ['确认', 'Confirm'],
  confirmRefusal: ['确认（记录禁止通行）', 'Confirm (record refusal)'],
  discard: ['取消', 'Discard'],
  recorded: ['已记录', 'Recorded'],
  duplicate: ['已记录（重复提交，沿用首次结果）', 'Recorded (sent again: the first result stands)'],
  rejected: ['服务器拒绝：{0}', 'Refused by the server: {0}'],
  queued: ['已暂存本机，联网后自动上传', 'Saved on this device; uploads when online'],
  serverSays: ['服务器判定：{0}', 'Server decision: {0}'],
  recent: ['本机最近记录', 'Recent scans on this device'],
  uploaded: ['已上传', 'uploaded'],
  pending: ['待上传', 'waiting'],
  uploadError: ['上传失败：{0}（记录保留在本机，稍后重试）', 'Upload failed: {0} (kept on this device, will retry)'],
  twoWayGap: ['双向测温相差 {0}℃，请复测', 'Two readings differ by {0} °C: please re-measure'],
  screenTitle: ['请扫码登记', 'Scan to check in'],
  screenHint: ['二维码每 {0} 秒更新，截图无效', 'The code changes every {0} s; screenshots do not work'],
  screenNext: ['{0} 秒后更新', 'Next code in {0} s'],
  screenOffline: ['离线：屏幕码无法更新，请联网', 'Offline: the screen code cannot refresh'],
  screenPoster: ['此卡点为海报模式。请在“场所与卡点”中切换为屏幕模式后使用。', 'This checkpoint uses a printed poster. Switch it to screen mode under “Places & gates” first.'],
  console: ['工作台', 'Console'],
  certTitle: ['健康申报证明', 'Health declaration certificate'],
  certValid: ['有效', 'Valid'],
  certInvalid: ['无效', 'Not valid'],
  certDoc: ['证件', 'Document'],
  certOrg: ['出具单位', 'Issued by'],
  certNotAfter: ['有效至', 'Valid until'],
  certNotAfterZone: ['{0}（北京时间）', '{0} (China time)'],
  certOnly: ['仅核验证明，不记录出入', 'Certificate check only: no entry or exit is recorded'],
  certDone: ['完成', 'Done'],
} satisfies Record<string, [string, string]>;

export type Key = keyof typeof S;

export let lang: Lang = 'zh';

/** Text of `key` in the current language; `{0}`, `{1}` … replaced by `args`. */
export function t(key: Key, ...args: Array<string | number>): string {
  return S[key][lang === 'zh' ? 0 : 1].replace(/\{(\d)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));
}

/** The label separator of the current language ('：' or ': '). */
export function colon(): string {
  return lang === 'zh' ? '：' : ': ';
}

/** The member of a zh/en pair in the current language. */
export function bi(b: Bilingual | null | undefined): string {
  return b ? (lang === 'zh' ? b.zh : b.en) : '';
}

/** Sets and persists the language (localStorage + `lang` cookie, one year) and <html lang>. */
export function setLang(l: Lang): void {
  lang = l;
  persistLang(l);
  document.title = t('appName');
}

/** The saved language: zh-CN unless English was chosen here or on the resident pages. */
export function initLang(): void {
  setLang(savedLang() ?? 'zh');
}
