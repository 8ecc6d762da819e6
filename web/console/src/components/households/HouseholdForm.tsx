/**
 * 新增住户 / 修改住户 in a modal: building (on creation), unit, room, occupancy (自住 / 空置 /
 * 出租), tenant details and the date the household lives there since. Creation is POST
 * /api/households; an edit is PATCH /api/households/:id with only the fields that changed.
 */
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { errorMessage, patch, post } from '../../api';
import { useLang, useT } from '../../i18n';
import { chinaDate } from '../../format';
import { OCCUPANCY_KEYS, occupancyLabel, type Building, type Household, type Occupancy } from './model';

interface Values { buildingId: string; unit: string; room: string; occupancy: Occupancy; tenantNote: string; residentSince: string }

const valuesOf = (h: Household | null, buildingId: string | null): Values => ({
  buildingId: h?.buildingId ?? buildingId ?? '', unit: h?.unit ?? '', room: h?.room ?? '', occupancy: h?.occupancy ?? 'occupied',
  tenantNote: h?.tenantNote ?? '', residentSince: h?.residentSince ?? '',
});

/** What to PATCH: the fields of `v` that differ from `h` (empty when nothing changed). */
export function householdChanges(h: Household, v: Values): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (v.unit.trim() !== h.unit) out.unit = v.unit.trim();
  if (v.room.trim() !== h.room) out.room = v.room.trim();
  if (v.occupancy !== h.occupancy) out.occupancy = v.occupancy;
  if (v.tenantNote.trim() !== h.tenantNote) out.tenantNote = v.tenantNote.trim();
  if ((v.residentSince || null) !== h.residentSince) out.residentSince = v.residentSince || null;
  return out;
}

export function HouseholdForm({ open, communityCode, buildings, household, defaultBuildingId, onClose, onSaved }: {
  open: boolean; communityCode: string; buildings: Building[]; household: Household | null; defaultBuildingId: string | null;
  onClose: () => void; onSaved: (h: Household) => void;
}) {
  const t = useT();
  const { lang } = useLang();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) { form.setFieldsValue(valuesOf(household, defaultBuildingId)); setError(null); }
  }, [open, household, defaultBuildingId, form]);

  const submit = async (v: Values) => {
    setBusy(true); setError(null);
    try {
      if (household) {
        const changes = householdChanges(household, v);
        if (Object.keys(changes).length === 0) { onClose(); return; }
        onSaved((await patch<{ household: Household }>(`/api/households/${household.id}`, changes)).household);
      } else {
        const body = {
          ...(v.buildingId ? { buildingId: v.buildingId } : { communityCode }), unit: v.unit.trim(), room: v.room.trim(),
          occupancy: v.occupancy, tenantNote: v.tenantNote.trim(), residentSince: v.residentSince || null,
        };
        onSaved((await post<{ household: Household }>('/api/households', body)).household);
      }
    } catch (e) { setError(errorMessage(e)); } finally { setBusy(false); }
  };

  const title = household ? t('修改住户', 'Edit household') : t('新增住户', 'New household');
  return (
    <Modal open={open} title={title} onCancel={onClose} okText={household ? t('保存', 'Save') : t('添加', 'Add')} cancelText={t('取消', 'Cancel')}
      confirmLoading={busy} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} aria-label={title} initialValues={valuesOf(household, defaultBuildingId)}>
        {!household && (
          <Form.Item label={t('楼栋', 'Building')} name="buildingId">
            <select className="native-select">
              <option value="">{t('（不属于楼栋，如平房院落）', '(no building, e.g. a courtyard house)')}</option>
              {buildings.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
            </select>
          </Form.Item>
        )}
        <Form.Item label={t('单元', 'Unit')} name="unit" rules={[{ max: 20 }]}><Input placeholder={t('如：1（可不填）', 'e.g. 1 (optional)')} /></Form.Item>
        <Form.Item label={t('门牌号', 'Room')} name="room" rules={[{ required: true, whitespace: true, message: t('请填写门牌号', 'Give the room number') }, { max: 20 }]}>
          <Input placeholder="101" />
        </Form.Item>
        <Form.Item label={t('居住情况', 'Occupancy')} name="occupancy">
          <select className="native-select">
            {OCCUPANCY_KEYS.map((k) => <option key={k} value={k}>{occupancyLabel(k, lang)}</option>)}
          </select>
        </Form.Item>
        <Form.Item label={t('租户情况', 'Tenant details')} name="tenantNote" rules={[{ max: 200 }]}
          extra={t('出租户填写租户姓氏、人数、工作等（不要填写证件号码和手机号）', 'For rented homes: tenant surname, how many, work (no ID or phone numbers)')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        <Form.Item label={t('入住日期', 'Living there since')} name="residentSince"><Input type="date" max={chinaDate()} style={{ width: 180 }} /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
