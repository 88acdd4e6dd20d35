import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { isLoopbackBind } from '../osc/oscAddresses.js';

/**
 * Who may use the web port, decided from a request's headers alone (pure, so every refusal is
 * unit-tested). Three defences, in order:
 * - Host: a page elsewhere can make the performer's browser call `http://attacker.example:8420`
 *   resolve to 127.0.0.1 (DNS rebinding); its Host header still says attacker.example, so only
 *   names this machine answers to are accepted (localhost, IP literals, the machine's own names).
 * - Origin: browsers send it with every WebSocket handshake and cross-site fetch; a WebSocket
 *   opened by a page from another origin (cross-site WebSocket hijacking) is refused, and so is a
 *   cross-site subresource request (an <img> on someone's page probing the show).
 * - Token: beyond localhost every request but the static assets needs `?token=` (or
 *   `Authorization: Bearer`); the view token gives a read-only connection.
 */
export interface WebAccessPolicy {
  /** the address the server is bound to */
  readonly bind: string;
  /** the steering token; null: none needed (bound to this machine only) */
  readonly token: string | null;
  /** the read-only token, if any */
  readonly viewToken: string | null;
  /** names besides localhost and IP literals that reach this machine (its host name, name.local) */
  readonly hostNames?: readonly string[];
}

export interface AccessRequest {
  readonly host?: string | undefined;
  readonly origin?: string | undefined;
  readonly secFetchSite?: string | undefined;
  readonly secFetchMode?: string | undefined;
  readonly authorization?: string | undefined;
  /** the `token` query parameter */
  readonly token?: string | null | undefined;
}

export type Role = 'control' | 'view';

export type Access =
  | { readonly ok: true; readonly role: Role }
  | { readonly ok: false; readonly status: 401 | 403 | 421; readonly reason: string };

/** Whether a request may go on, and with which role. `needsToken`: false for the static assets. */
export function checkAccess(request: AccessRequest, policy: WebAccessPolicy, needsToken = true): Access {
  const host = hostName(request.host);
  if (host === null) return { ok: false, status: 421, reason: 'a Host header is required' };
  if (!hostAllowed(host, policy)) return { ok: false, status: 421, reason: `Host ${JSON.stringify(request.host)} is not this machine (DNS rebinding?)` };
  if (request.origin !== undefined) {
    if (!sameOrigin(request.origin, request.host!)) return { ok: false, status: 403, reason: `cross-origin request from ${JSON.stringify(request.origin)} refused` };
  } else if (request.secFetchSite === 'cross-site' && request.secFetchMode !== 'navigate') {
    return { ok: false, status: 403, reason: 'cross-site request refused' };
  }
  if (!needsToken) return { ok: true, role: 'control' };
  const given = request.token ?? bearer(request.authorization);
  if (given !== null && given !== undefined && given !== '') {
    if (policy.token !== null && equal(given, policy.token)) return { ok: true, role: 'control' };
    if (policy.viewToken !== null && equal(given, policy.viewToken)) return { ok: true, role: 'view' };
    return { ok: false, status: 401, reason: 'wrong token' };
  }
  if (policy.token !== null) return { ok: false, status: 401, reason: 'a token is required: open the URL printed at start (…?token=…)' };
  return { ok: true, role: 'control' };
}

/** The host name of a Host header (`[::1]:8420` -> `::1`), lower-case; null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (header === undefined || header.length === 0 || header.length > 255) return null;
  const h = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/.exec(h);
  if (bracketed) return bracketed[1]!;
  const plain = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(h);
  return plain ? plain[1]! : null;
}

function hostAllowed(host: string, policy: WebAccessPolicy): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const ip = isIP(host);
  if (ip !== 0) return isLoopbackBind(policy.bind) ? isLoopbackBind(host) : true;
  return !isLoopbackBind(policy.bind) && (policy.hostNames ?? []).some((n) => n.toLowerCase() === host);
}

/** `http://127.0.0.1:8420` against Host `127.0.0.1:8420`: the page is the show's own. */
function sameOrigin(origin: string, host: string): boolean {
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}

function bearer(header: string | undefined): string | null {
  const m = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
