/**
 * Pick the person a case is registered against, without ever showing a full name or document:
 * - by name (or part of it) among the people with check-ins in the account's area in the last 28
 *   China days (GET /api/checkins?q=, permission checkins.read, audited by the server as a search):
 *   one row a person, masked name + masked document + where they were last seen;
 * - by ID document: roles with persons.lookup_by_document look the person up (POST
 *   /api/persons/lookup); a case registrar without it (command offices) gives the document as the
 *   hospital's report names it, and POST /api/cases finds the person (`document` in the pick).
 * The number goes in the request body, never the URL.
 */
import { useState } from 'react';
import { Alert, Button, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { errorMessage, get, post, qs } from '../../api';
import { useLang, useT } from '../../i18n';
import { addDays, chinaDate, chinaDateTime, DOC_TYPE_KEYS, docTypeLabel } from '../../format';
import { useSession } from '../../session';
import { distinctPersons, type CheckinRow, type FoundPerson } from './logic';

export interface PickedPerson {
  id: string; maskedName: string; docMasked: string;
  /** Set when the person is given by document, to be resolved by the registration itself. */
  document?: { docType: string; docNumber: string };
}

/** A document shown masked (first 3 and last 2 characters), for the pick's summary. */
const maskLocal = (n: string) => (n.length <= 5 ? '*'.repeat(n.length) : `${n.slice(0, 3)}${'*'.repeat(n.length - 5)}${n.slice(-2)}`);
type Found = FoundPerson;

export function PersonPicker({ value, onChange }: { value: PickedPerson | null; onChange: (p: PickedPerson | null) => void }) {
  const t = useT();
  const { lang } = useLang();
  const { can } = useSession();
  const lookup = can('persons.lookup_by_document');
  const [mode, setMode] = useState<'name' | 'doc'>('name');
  const [q, setQ] = useState('');
  const [docType, setDocType] = useState('resident_id');
  const [docNumber, setDocNumber] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const searchName = async () => {
    if (!q.trim()) return;
    setBusy(true); setError(null); setFound(null);
    try {
      const to = chinaDate();
      const r = await get<{ rows: CheckinRow[] }>(`/api/checkins${qs({ q: q.trim(), from: addDays(to, -27), to, limit: 200 })}`);
      setFound(distinctPersons(r.rows));
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };
  const searchDoc = async () => {
    if (!docNumber.trim()) return;
    if (!lookup) {
      onChange({ id: '', maskedName: t('按证件登记', 'By document'), docMasked: maskLocal(docNumber.trim()), document: { docType, docNumber: docNumber.trim() } });
      return;
    }
    setBusy(true); setError(null); setFound(null);
    try {
      const r = await post<{ person: PickedPerson }>('/api/persons/lookup', { docType, docNumber: docNumber.trim() });
      onChange({ id: r.person.id, maskedName: r.person.maskedName, docMasked: r.person.docMasked });
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };

  if (value) {
    return (
      <Space wrap data-testid="picked-person">
        <Typography.Text strong>{value.maskedName}</Typography.Text>
        <Typography.Text type="secondary">{value.docMasked}</Typography.Text>
        <Button size="small" onClick={() => { onChange(null); setFound(null); }}>{t('重新选择', 'Change')}</Button>
      </Space>
    );
  }
  return (
    <div>
      {(
        <Radio.Group value={mode} onChange={(e) => { setMode(e.target.value); setFound(null); setError(null); }} style={{ marginBottom: 8 }}
          options={[{ value: 'name', label: t('按姓名（通行记录）', 'By name (check-ins)') }, { value: 'doc', label: t('按证件号码', 'By document') }]} />
      )}
      {mode === 'name' ? (
        <Input.Search aria-label={t('查找人员', 'Find person')} placeholder={t('姓名或部分姓名', 'Name or part of it')} value={q} loading={busy}
          onChange={(e) => setQ(e.target.value)} onSearch={() => void searchName()} enterButton={t('查找', 'Find')} />
      ) : (
        <Space.Compact style={{ width: '100%' }}>
          <select className="native-select" aria-label={t('证件类型', 'Document type')} style={{ width: 180 }} value={docType} onChange={(e) => setDocType(e.target.value)}>
            {DOC_TYPE_KEYS.map((k) => <option key={k} value={k}>{docTypeLabel(k, lang)}</option>)}
          </select>
          <Input aria-label={t('证件号码', 'Document number')} autoComplete="off" value={docNumber} onChange={(e) => setDocNumber(e.target.value)} onPressEnter={() => void searchDoc()} />
          <Button loading={busy} onClick={() => void searchDoc()}>{t('查找', 'Find')}</Button>
        </Space.Compact>
      )}
      {mode === 'name' && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('在本辖区近 28 天有通行记录的人员中查找；查询记入审计日志', 'Searches people with check-ins in your area in the last 28 days; audited')}</Typography.Text>}
      {error && <Alert type="error" showIcon style={{ marginTop: 8 }} title={error} />}
      {found && (
        <Table<Found> rowKey="id" size="small" style={{ marginTop: 8 }} dataSource={found} pagination={false} scroll={{ y: 240 }}
          locale={{ emptyText: t('没有找到', 'Nobody found') }}
          columns={[
            { title: t('姓名', 'Name'), dataIndex: 'maskedName' },
            { title: t('证件', 'Document'), dataIndex: 'docMasked' },
            { title: t('最近出现', 'Last seen'), render: (_: unknown, r) => <span>{r.placeName} <Tag>{chinaDateTime(r.at).slice(5, 16)}</Tag></span> },
            { title: '', render: (_: unknown, r) => <Button size="small" type="primary" aria-label={`${t('选择', 'Choose')} ${r.maskedName}`}
              onClick={() => onChange({ id: r.id, maskedName: r.maskedName, docMasked: r.docMasked })}>{t('选择', 'Choose')}</Button> },
          ]} />
      )}
    </div>
  );
}
