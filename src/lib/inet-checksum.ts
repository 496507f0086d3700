/** RFC 1071 Internet checksum, shared by the VRRP codec and the frame builders. */

/** One's complement accumulation of big-endian 16-bit words (RFC 1071 §4.1); odd tail padded with 0. */
export function sum16(bytes: Uint8Array, acc: number): number {
  let sum = acc;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return sum;
}

/** Folds and complements an accumulated sum: the value for the checksum field (0 when verifying a good one). */
export const finishChecksum = (sum: number): number => ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;

/** The checksum over `parts` laid end to end (each part but the last must have even length). */
export function internetChecksum(...parts: readonly Uint8Array[]): number {
  let sum = 0;
  for (const p of parts) sum = sum16(p, sum);
  return finishChecksum(sum);
}
