/**
 * JSON calls of the gate page: the same wrapper as the resident pages (web/resident/api.ts: same
 * origin, `no-store`, a 15 s timeout so a gate never hangs, ApiError/NetworkError). The staff
 * session is the console's httpOnly cookie; the service worker passes /api/* straight to the network.
 */
export { api, ApiError, NetworkError, TIMEOUT_MS } from '../resident/api';
