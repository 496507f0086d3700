/**
 * The error registry (STYLE §8): every typed error the edges raise has a
 * stable code listed here and in docs/errors.md. Codes are never reused.
 * Expected outcomes (diagnostics, decode results, probe results) are values,
 * not errors.
 */
export const codes = {
  KA_ERR_RAW_SOCKET: 'cannot open or use a VRRP raw socket',
  KA_ERR_IP_FAILED: 'an `ip` command failed',
  KA_ERR_NO_INTERFACE: 'an interface named by the config does not exist',
  KA_ERR_PIDFILE: 'a pid file names a running daemon or cannot be written',
  KA_ERR_SCRIPT_SPAWN: 'a script could not be started',
  KA_ERR_FIFO: 'a notify FIFO could not be created or opened',
} as const;

export type ErrorCode = keyof typeof codes;

export class KaError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'KaError';
    this.code = code;
  }
}

export function isKaError(e: unknown, code?: ErrorCode): e is KaError {
  return e instanceof KaError && (code === undefined || e.code === code);
}
