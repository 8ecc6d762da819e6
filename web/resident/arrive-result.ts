/**
 * The answer screen of 社区报到: the measure the rule table decided (label, days, last day) in
 * large type, what it means for the resident, and the way to 健康观察上报 (/observe) when a measure
 * applies. Dates are the server's China dates, shown as given.
 */
import { h, mount } from './dom';
import { t, tr } from './i18n';
import type { ArrivalView } from './types';
import { topBar } from './ui';

/** What each measure asks of the resident. */
function meaning(m: ArrivalView['measure']): string {
  switch (m) {
    case 'home_isolation':
      return tr('请留在家中，不要外出，也不要让他人来访。社区工作人员会与您联系，安排上门测温和生活物资。每天上午、下午各报告一次体温。',
        'Stay at home: do not go out and do not receive visitors. The community will contact you and arrange temperature checks and supplies. Report your temperature every morning and afternoon.');
    case 'centralized_isolation':
      return tr('请在原地等候，不要自行前往他处。社区工作人员会尽快与您联系，安排转运至集中隔离点。',
        'Please wait where you are and do not travel on. The community will contact you shortly and take you to the isolation site.');
    case 'health_monitoring':
      return tr('可以正常生活，但请每天上午、下午各报告一次体温和症状；出现发热、咳嗽等症状请立即报告并就医，外出请佩戴口罩。',
        'You may go about your day, but report your temperature and symptoms every morning and afternoon. If you get a fever or a cough, report it and see a doctor at once; wear a mask outside.');
    default:
      return tr('根据现行规定，您无需隔离或健康监测。如出现发热等症状，请及时就医。',
        'Under the current rules you need no isolation or health monitoring. If you get a fever or other symptoms, see a doctor.');
  }
}

/** Shows the answer to a report; `again` returns to an empty form (another person of the phone). */
export function showArrival(a: ArrivalView, again: () => void): void {
  const applies = a.measure !== 'none';
  mount([topBar(h('a', { href: '/me', class: 'bar-link' }, t('me'))), h('main', { class: 'arrive-result' },
    h('h1', { class: 'page-title' }, tr('报到成功', 'Arrival reported')),
    h('p', { class: 'sub' }, `${a.maskedName} · ${tr('自', 'from ')}${a.originText} · ${a.arrivalOn}${tr(' 抵达', '')}`),
    h('section', { class: `measure measure-${a.measure}`, 'data-testid': 'measure', 'data-measure': a.measure, role: 'status' },
      h('div', { class: 'measure-label' }, a.measureLabel),
      applies && a.measureDays > 0 ? h('div', { class: 'measure-days' }, tr(`${a.measureDays} 天`, `${a.measureDays} days`)) : null,
      applies && a.measureUntil ? h('div', { class: 'measure-until' }, tr(`至 ${a.measureUntil}（含当日）`, `until ${a.measureUntil} (inclusive)`)) : null),
    h('p', { class: 'meaning' }, meaning(a.measure)),
    applies ? h('a', { href: '/observe', class: 'btn btn-primary' }, tr('健康观察上报', 'Report my health')) : null,
    h('button', { type: 'button', class: 'btn btn-plain', onclick: again }, tr('为其他人报到', 'Report another person')))]);
}
