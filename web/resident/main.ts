/**
 * Entry of the resident pages. One HTML serves /c/<token> (check-in at a checkpoint) and /me (我的);
 * the path decides (src/modules/web/routes.ts).
 */
import { startCheckin, load } from './checkin';
import { mount } from './dom';
import { initLang, t } from './i18n';
import { startMe } from './me';
import { notice } from './ui';

const path = location.pathname;
const c = /^\/c\/([^/]+)\/?$/.exec(path);
const isMe = /^\/me\/?$/.test(path);

function other(): void {
  mount(notice(t('appName'), t('noToken')));
}

initLang(() => { if (c) void load(); else if (isMe) void startMe(); else other(); });

if (c) {
  let token = c[1];
  try { token = decodeURIComponent(token); } catch { /* keep as typed */ }
  void startCheckin(token);
} else if (isMe) void startMe();
else other();
