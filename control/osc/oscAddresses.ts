import { isIP } from 'node:net';

/** `::ffff:192.168.1.5` (an IPv4 sender on a dual-stack socket) is `192.168.1.5`. */
export function normaliseAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}

/**
 * A sender on this machine: 127.0.0.1 or ::1, always accepted. (Only these two: the rest of
 * 127.0.0.0/8 counts as elsewhere, which lets tests stand in for a second machine with 127.0.0.2.)
 */
export function isThisMachine(address: string): boolean {
  const a = normaliseAddress(address);
  return a === '127.0.0.1' || a === '::1';
}

/** A bind address reachable only from this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopbackBind(address: string): boolean {
  const a = normaliseAddress(address);
  return a === 'localhost' || a === '::1' || (isIP(a) === 4 && a.startsWith('127.'));
}
