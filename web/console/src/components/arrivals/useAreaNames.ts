/**
 * Names of area codes (communities of reports, areas of rules) for display: GET /api/areas/:code
 * once a code per page load (cached; a failure is not cached and the code is shown as it is).
 */
import { useEffect, useState } from 'react';
import { get } from '../../api';

const cache = new Map<string, Promise<string>>();

function areaName(code: string): Promise<string> {
  let p = cache.get(code);
  if (!p) {
    p = get<{ node: { name: string } }>(`/api/areas/${code}`).then((r) => r.node.name);
    cache.set(code, p);
    p.catch(() => cache.delete(code));
  }
  return p;
}

/** code → name for the distinct `codes` (at most 100 looked up); unknown codes are absent. */
export function useAreaNames(codes: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    let live = true;
    const want = key ? key.split(',').slice(0, 100) : [];
    for (const c of want) {
      areaName(c).then((n) => { if (live) setNames((m) => (m[c] === n ? m : { ...m, [c]: n })); }, () => undefined);
    }
    return () => { live = false; };
  }, [key]);
  return names;
}
