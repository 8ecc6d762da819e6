/** 中文 / English switch; the choice also reaches the server (cookie) for its messages. */
import { Segmented } from 'antd';
import { useLang, type Lang } from '../i18n';

export function LangSwitch() {
  const { lang, setLang } = useLang();
  return (
    <Segmented<Lang>
      aria-label="语言 Language"
      size="small"
      value={lang}
      onChange={(v) => setLang(v)}
      options={[{ label: '中文', value: 'zh' }, { label: 'EN', value: 'en' }]}
    />
  );
}
