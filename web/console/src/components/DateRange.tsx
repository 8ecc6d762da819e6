/**
 * A China-date range ('YYYY-MM-DD' strings, inclusive). Dates are calendar days in China time
 * (SPEC "Rules worth knowing"); "today" is computed in Asia/Shanghai, not the browser's zone.
 */
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { addDays, chinaDate } from '../format';
import { useT } from '../i18n';

export interface Range { from: string; to: string }

/** The last `days` China days ending today. */
export function lastDays(days: number): Range {
  const to = chinaDate();
  return { from: addDays(to, -(days - 1)), to };
}

export function DateRange({ value, onChange, maxDays = 62 }: { value: Range; onChange: (r: Range) => void; maxDays?: number }) {
  const t = useT();
  const today = chinaDate();
  return (
    <DatePicker.RangePicker
      aria-label={t('日期范围', 'Date range')}
      allowClear={false}
      value={[dayjs(value.from), dayjs(value.to)]}
      disabledDate={(d) => d.format('YYYY-MM-DD') > today}
      presets={[
        { label: t('今天', 'Today'), value: [dayjs(today), dayjs(today)] },
        { label: t('近7天', 'Last 7 days'), value: [dayjs(addDays(today, -6)), dayjs(today)] },
        { label: t('近14天', 'Last 14 days'), value: [dayjs(addDays(today, -13)), dayjs(today)] },
        { label: t('近28天', 'Last 28 days'), value: [dayjs(addDays(today, -27)), dayjs(today)] },
      ]}
      onChange={(v) => {
        if (!v || !v[0] || !v[1]) return;
        let from = v[0].format('YYYY-MM-DD');
        const to = v[1].format('YYYY-MM-DD');
        if (addDays(from, maxDays) < to) from = addDays(to, -maxDays);
        onChange({ from, to });
      }}
    />
  );
}
