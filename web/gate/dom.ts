/**
 * One tiny DOM helper for the gate page (the same shape as web/resident/dom.ts, kept separate so
 * the resident pages' bundle, budgeted at 80 KB, never shares a chunk with the gate's).
 */

export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, unknown>;

/** Properties set on the element itself rather than as attributes (live form state). */
const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden']);

/**
 * Creates an element. `attrs`: `onX` functions become event listeners, `class` the class name,
 * `value`/`checked`/`disabled`/`selected`/`hidden` properties, everything else an attribute
 * (`true` → present, null/undefined/false → absent). Children: nodes or text (arrays flattened,
 * falsy skipped).
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

/** Replaces the page (#app) with `nodes`. */
export function mount(nodes: Child[]): void {
  const app = document.getElementById('app')!;
  app.textContent = '';
  append(app, nodes);
}
