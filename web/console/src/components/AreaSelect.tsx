/**
 * Pick a node of the area tree inside the account's subtree (GET /api/areas/:code,
 * /api/areas/:code/children, /api/areas/search?q=). Browse lazily from the account's node, or
 * type a name to search. `communityOnly` allows only communities/villages (12-digit codes).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { TreeSelect } from 'antd';
import { get, qs } from '../api';
import { useStaff } from '../session';
import { useT } from '../i18n';

interface AreaNode { code: string; name: string; level: number; parentCode: string | null; hasChildren?: boolean; inScope?: boolean; path?: string }
interface TreeNode { id: string; pId: string | null; value: string; title: string; isLeaf: boolean; selectable: boolean }

const isCommunity = (code: string) => code.length === 12;

export interface AreaSelectProps {
  value?: string;
  onChange?: (code: string | undefined) => void;
  communityOnly?: boolean;
  allowClear?: boolean;
  placeholder?: string;
  id?: string;
  style?: React.CSSProperties;
  size?: 'small' | 'middle' | 'large';
  'aria-label'?: string;
}

export function AreaSelect({ value, onChange, communityOnly = false, allowClear = true, placeholder, id, style, size, ...rest }: AreaSelectProps) {
  const t = useT();
  const staff = useStaff();
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  const [found, setFound] = useState<TreeNode[] | null>(null);
  const [search, setSearch] = useState('');
  const [failed, setFailed] = useState(false);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const loaded = useRef(new Set<string>());
  const toNode = (a: AreaNode, pId: string | null): TreeNode => ({
    id: a.code, pId, value: a.code, title: a.path ?? a.name,
    isLeaf: a.hasChildren === false || isCommunity(a.code),
    selectable: (a.inScope ?? true) && (!communityOnly || isCommunity(a.code)),
  });

  useEffect(() => {
    let live = true;
    get<{ node: AreaNode }>(`/api/areas/${staff.areaCode}`)
      .then((r) => { if (live) setNodes([toNode(r.node, null)]); })
      .catch(() => { if (live) setFailed(true); });
    return () => { live = false; };
  }, [staff.areaCode, communityOnly]); // eslint-disable-line react-hooks/exhaustive-deps

  // Show the chosen value's name even before its branch is loaded.
  useEffect(() => {
    if (!value || labels[value]) return;
    let live = true;
    get<{ node: AreaNode }>(`/api/areas/${value}`)
      .then((r) => { if (live) setLabels((l) => ({ ...l, [value]: r.node.name })); })
      .catch(() => {});
    return () => { live = false; };
  }, [value]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const q = search.trim();
    if (!q) { setFound(null); return; }
    let live = true;
    const timer = setTimeout(() => {
      get<{ items: AreaNode[] }>(`/api/areas/search${qs({ q, limit: 20 })}`)
        .then((r) => { if (live) setFound(r.items.map((a) => ({ ...toNode(a, null), isLeaf: true }))); })
        .catch(() => { if (live) setFound([]); });
    }, 250);
    return () => { live = false; clearTimeout(timer); };
  }, [search]); // eslint-disable-line react-hooks/exhaustive-deps

  const loadData = async ({ value: code }: { value?: string | number }) => {
    const c = String(code);
    if (loaded.current.has(c)) return;
    loaded.current.add(c);
    try {
      const r = await get<{ items: AreaNode[] }>(`/api/areas/${c}/children`);
      setNodes((ns) => {
        const known = new Set(ns.map((n) => n.value));
        return [...ns, ...r.items.filter((a) => !known.has(a.code)).map((a) => toNode(a, c))];
      });
    } catch {
      loaded.current.delete(c);
    }
  };

  const treeData = useMemo(() => found ?? nodes, [found, nodes]);
  const label = value ? (labels[value] ?? nodes.find((n) => n.value === value)?.title ?? found?.find((n) => n.value === value)?.title ?? value) : undefined;

  return (
    <TreeSelect
      id={id}
      aria-label={rest['aria-label']}
      style={{ minWidth: 220, ...style }}
      size={size}
      labelInValue
      value={value ? { value, label } : undefined}
      onChange={(v: { value: string | number; label: React.ReactNode } | undefined) => {
        if (v && typeof v.label === 'string') setLabels((l) => ({ ...l, [String(v.value)]: v.label as string }));
        onChange?.(v ? String(v.value) : undefined);
        setSearch('');
      }}
      treeDataSimpleMode
      treeData={treeData}
      loadData={found ? undefined : loadData}
      showSearch
      searchValue={search}
      onSearch={setSearch}
      filterTreeNode={false}
      allowClear={allowClear}
      placeholder={failed ? t('区域加载失败', 'Areas failed to load') : placeholder ?? (communityOnly ? t('选择社区/村（可输入名称搜索）', 'Community (type to search)') : t('选择区域（可输入名称搜索）', 'Area (type to search)'))}
      notFoundContent={search ? t('没有匹配的区域', 'No matching area') : t('无数据', 'No data')}
      popupMatchSelectWidth={false}
    />
  );
}
