/**
 * Live events from GET /api/events (Server-Sent Events): 'checkin', 'fever_alert',
 * 'alert_update', 'sensor_alert' (door sensors of the area: door_open, battery_low, sensor_silent), each with JSON data. One connection per console tab, shared by every page
 * through `useEvent(type, handler)`. EventSource reconnects by itself after a dropped
 * connection; when the server closed it for good (e.g. 401 after a restart) we retry with a
 * back-off of 2 s doubling to 30 s. After every reconnection (not the first connection: pages load
 * their data on mount) `useEvent('reconnect', …)` fires, so a page refetches what it missed offline.
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { get } from './api';

export type LiveStatus = 'connecting' | 'live' | 'offline' | 'off';
export type LiveEventType = 'checkin' | 'fever_alert' | 'alert_update' | 'sensor_alert' | 'reconnect';
type Handler = (data: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

interface EventsState {
  status: LiveStatus;
  subscribe: (type: LiveEventType, h: Handler) => () => void;
}

const EventsContext = createContext<EventsState>({ status: 'off', subscribe: () => () => {} });

const TYPES: LiveEventType[] = ['checkin', 'fever_alert', 'alert_update', 'sensor_alert'];

/** Opens the live connection when `enabled` (the account may see live gate events). */
export function EventsProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>(enabled ? 'connecting' : 'off');
  const handlers = useRef(new Map<LiveEventType, Set<Handler>>());

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') { setStatus('off'); return; }
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = 2000;
    let stopped = false;
    let opened = false;
    const emit = (type: LiveEventType, data: unknown) => {
      for (const h of handlers.current.get(type) ?? []) {
        try { h(data); } catch (e) { console.error('live event handler failed', e); }
      }
    };
    const connect = () => {
      if (stopped) return;
      setStatus('connecting');
      es = new EventSource('/api/events', { withCredentials: true });
      es.onopen = () => {
        delay = 2000;
        setStatus('live');
        if (opened) emit('reconnect', null);
        opened = true;
      };
      es.onerror = () => {
        if (!es || es.readyState !== EventSource.CLOSED) { setStatus('offline'); return; } // browser retries
        setStatus('offline');
        es = null;
        // Refused for good: if the session ended, this 401 takes the console back to sign-in.
        void get('/api/staff/me').catch(() => {});
        timer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
      for (const type of TYPES) {
        es.addEventListener(type, (ev) => {
          let data: unknown = null;
          try { data = JSON.parse((ev as MessageEvent<string>).data); } catch { return; }
          emit(type, data);
        });
      }
    };
    connect();
    return () => { stopped = true; clearTimeout(timer); es?.close(); };
  }, [enabled]);

  const value = useMemo<EventsState>(() => ({
    status,
    subscribe: (type, h) => {
      const set = handlers.current.get(type) ?? new Set<Handler>();
      set.add(h);
      handlers.current.set(type, set);
      return () => { set.delete(h); };
    },
  }), [status]);
  return <EventsContext.Provider value={value}>{children}</EventsContext.Provider>;
}

/** Call `handler(data)` for each live event of `type` while the component is mounted. */
export function useEvent(type: LiveEventType, handler: Handler) {
  const { subscribe } = useContext(EventsContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => subscribe(type, (d) => ref.current(d)), [subscribe, type]);
}

/** Connection state, for the "实时" indicator. */
export const useLiveStatus = () => useContext(EventsContext).status;
