/**
 * The case classification fields of the register and correct forms (inside an antd Form):
 * 本地 / 输入 and, for an imported case, its source area (required, at most 60 characters, as the
 * server checks: src/modules/cases/rules.ts).
 */
import { Form, Input } from 'antd';
import { useT } from '../../i18n';

export function ClassificationFields({ imported }: { imported: boolean }) {
  const t = useT();
  return (
    <>
      <Form.Item label={t('病例分类', 'Classification')} name="classification">
        <select className="native-select" style={{ width: 160 }}>
          <option value="local">{t('本地病例', 'Local')}</option>
          <option value="imported">{t('输入病例', 'Imported')}</option>
        </select>
      </Form.Item>
      {imported && (
        <Form.Item label={t('输入来源地', 'Source area')} name="sourceArea"
          rules={[{ required: true, whitespace: true, message: t('输入病例须填写来源地', 'An imported case needs its source area') }, { max: 60 }]}>
          <Input placeholder={t('如 湖北武汉、信阳、驻马店', 'e.g. 湖北武汉')} style={{ width: 240 }} maxLength={60} />
        </Form.Item>
      )}
    </>
  );
}
