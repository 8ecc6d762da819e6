/**
 * DOM helpers of the gate page: the resident pages' `h`/`append` (web/resident/dom.ts; a shared
 * module becomes a shared chunk, so the resident bundle does not grow) and a plain `mount` that
 * keeps the scroll position (the gate screen re-renders in place).
 */
import { append, type Child } from '../resident/dom';

export { append, h, type Attrs, type Child } from '../resident/dom';

/** Replaces the page (#app) with `nodes`. */
export function mount(nodes: Child[]): void {
  const app = document.getElementById('app')!;
  app.textContent = '';
  append(app, nodes);
}
