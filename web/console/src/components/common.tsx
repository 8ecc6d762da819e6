/**
 * Small shared pieces: a data-loading hook with loading/error/reload, an error banner that shows
 * the server's message with a retry button, a page title row and the lists' name search box.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Button, Input, Space, Typography } from 'antd';
import { errorMessage } from '../api';
import { useT } from '../i18n';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T | undefined) => void;
}

/**
 * Run `load` when `deps` change (and on `reload()`); answers of an older run are dropped.
 * Pass `enabled=false` to wait (e.g. until a checkpoint is chosen).
 */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[], enabled = true): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!enabled) { setLoading(false); return; }
    const me = ++run.current;
    setLoading(true);
    setError(null);
    loadRef.current().then(
      (d) => { if (me === run.current) { setData(d); setLoading(false); } },
      (e) => { if (me === run.current) { setError(e); setLoading(false); } },
    );
  }, [...deps, enabled, tick]); // eslint-disable-line react-hooks/exhaustive-deps
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

/** The server's message for a failed load, with 重试. Renders nothing without an error. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert type="error" showIcon role="alert" style={{ marginBottom: 16 }} title={errorMessage(error)}
      action={onRetry && <Button size="small" onClick={onRetry}>{t('重试', 'Retry')}</Button>} />
  );
}

/** A table's empty text: never "nothing here" when the load failed (the banner says why). */
export function useEmptyText() {
  const t = useT();
  return (error: unknown, text: string) => (error ? t('加载失败', 'Failed to load') : text);
}

/** Page heading with actions on the right. */
export function PageTitle({ title, extra, children }: { title: string; extra?: ReactNode; children?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
      <div>
        <Typography.Title level={3} style={{ margin: 0 }}>{title}</Typography.Title>
        {children && <Typography.Text type="secondary">{children}</Typography.Text>}
      </div>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}

/**
 * The lists' search by (part of a) name: `text` is what is typed, `onSearch(q)` runs on 查询/Enter
 * with the trimmed text and with '' when the box is cleared.
 */
export function NameSearch({ text, onText, onSearch, width = 200 }: { text: string; onText: (v: string) => void; onSearch: (q: string) => void; width?: number }) {
  const t = useT();
  return (
    <Input.Search aria-label={t('姓名', 'Name')} placeholder={t('姓名（可输入部分）', 'Name (or part)')} allowClear style={{ width }} value={text}
      onChange={(e) => { onText(e.target.value); if (!e.target.value) onSearch(''); }} onSearch={(v) => onSearch(v.trim())} enterButton={t('查询', 'Search')} />
  );
}
