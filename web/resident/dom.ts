/**
 * Tiny DOM helpers for the resident pages. No framework: the check-in page must stay small for
 * cheap phones in WeChat (DEVELOPERS.md, LESSONS "Surges": page weight is capacity).
 */

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, unknown>;

/** Properties set on the element itself rather than as attributes (live form state). */
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden']);

/**
 * Creates an element. `attrs`: `onX` functions become event listeners, `class` the class name,
 * `value`/`checked`/`disabled`/`selected`/`hidden` properties, everything else an attribute (`true` → present,
 * null/undefined/false → absent). Children: nodes or text (nested arrays flattened, falsy skipped).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const k in attrs ?? {}) {
    const v = attrs![k];
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (PROPS.has(k)) (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

/** Appends children (see {@link h}) to `el`. */
export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

let cleanups: Array<() => void> = [];

/** Registers a function run when the current screen is replaced (timers, listeners). */
export function onLeave(fn: () => void): void {
  cleanups.push(fn);
}

/** The page root, `#app` in index.html. */
export function root(): HTMLElement {
  return document.getElementById('app')!;
}

/**
 * Replaces the whole screen with `nodes`: runs the previous screen's cleanups and scrolls to the
 * top (an elderly user should never land mid-page). `keepScroll` keeps the position (re-render).
 */
export function mount(nodes: Child[], keepScroll = false): void {
  const old = cleanups;
  cleanups = [];
  for (const fn of old) fn();
  const app = root();
  app.textContent = '';
  append(app, nodes);
  if (!keepScroll) window.scrollTo(0, 0);
}
