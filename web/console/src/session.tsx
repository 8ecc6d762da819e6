/**
 * The signed-in staff account (GET /api/staff/me at start, POST /api/staff/login, /logout).
 * `can(permission)` drives the menu and page guards; the server enforces the same permissions
 * (src/modules/staff/roles.ts), the UI only hides what would be refused.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, onUnauthorized, post } from './api';

/** The account as /api/staff/me and /api/staff/login return it. */
export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: string;
  roleLabel: string;
  areaCode: string;
  checkpointId: string | null;
  mustChangePassword: boolean;
  permissions: string[];
}

interface SessionState {
  /** undefined while loading, null when signed out. */
  staff: Staff | null | undefined;
  /** Set when the start-up check failed for another reason than "not signed in". */
  bootError: ApiError | null;
  login: (username: string, password: string) => Promise<Staff>;
  logout: () => Promise<void>;
  setStaff: (s: Staff | null) => void;
  reload: () => Promise<void>;
  can: (permission: string) => boolean;
  /** True after a 401 on a signed-in call: the session expired or was ended elsewhere. */
  expired: boolean;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [staff, setStaffState] = useState<Staff | null | undefined>(undefined);
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const [expired, setExpired] = useState(false);

  const reload = useCallback(async () => {
    setBootError(null);
    try {
      const r = await get<{ staff: Staff }>('/api/staff/me');
      setStaffState(r.staff);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setStaffState(null);
      else { setBootError(e instanceof ApiError ? e : new ApiError(0, 'error', String(e))); setStaffState(null); }
    }
  }, []);

  useEffect(() => { void reload(); }, [reload]);
  useEffect(() => {
    onUnauthorized(() => { setStaffState((s) => { if (s) setExpired(true); return null; }); });
    return () => onUnauthorized(null);
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await post<{ staff: Staff }>('/api/staff/login', { username, password });
    setExpired(false);
    setBootError(null);
    setStaffState(r.staff);
    return r.staff;
  }, []);

  const logout = useCallback(async () => {
    try { await post('/api/staff/logout'); } finally { setExpired(false); setStaffState(null); }
  }, []);

  const value = useMemo<SessionState>(() => ({
    staff, bootError, login, logout, reload, expired,
    setStaff: setStaffState,
    can: (p: string) => !!staff && staff.permissions.includes(p),
  }), [staff, bootError, login, logout, reload, expired]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in account; only for components rendered inside the signed-in shell. */
export function useStaff(): Staff {
  const { staff } = useSession();
  if (!staff) throw new Error('useStaff without a session');
  return staff;
}
