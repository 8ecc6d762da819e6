/**
 * Server entry for test/e2e/gate-flow.test.ts: src/bench-server.ts (no demo seed, no jobs, prints
 * READY) on the port the test picked beforehand (YIQU_E2E_PORT), because the posters printed before
 * the start already carry PUBLIC_URL=http://127.0.0.1:<that port> in their QR codes.
 * startServerProcess() sets PORT to a port of its own, which this overrides.
 */
if (process.env.YIQU_E2E_PORT) process.env.PORT = process.env.YIQU_E2E_PORT;
await import('../../src/bench-server');

export {};
