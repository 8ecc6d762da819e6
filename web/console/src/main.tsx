/**
 * Entry of the staff console (/console/*). This chunk holds only React, the session check and a
 * plain sign-in form (no antd), so sign-in shows fast on a gate tablet; the antd console
 * (Console.tsx) starts downloading while the user types, and every page loads on demand.
 */
import { createRoot } from 'react-dom/client';
import { LangProvider } from './i18n';
import { SessionProvider } from './session';
import { Boot } from './Boot';
import './login.css';

// No <StrictMode>: in a development build it runs every effect twice, and a page's first fetch
// is often an audited read (a person's record, a check-in search): one visit must be one audit row.
createRoot(document.getElementById('root')!).render(
  <LangProvider>
    <SessionProvider>
      <Boot />
    </SessionProvider>
  </LangProvider>,
);
