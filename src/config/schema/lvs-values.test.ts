import { describe, expect, it } from 'vitest';
import { pton4 } from '../../lib/ip-address.js';
import type { HandlerCtx } from '../engine.js';
import { formatIp, readSockAddr } from './lvs-values.js';

const silent = { report: () => {}, error: () => {} } as unknown as HandlerCtx<unknown>;

describe('readSockAddr', () => {
  // The dotted-quad fast path must agree with pton4() + formatIp().
  it.each([
    '10.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '256.1.1.1',
    '01.2.3.4',
    '1.02.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '1..2.3',
    '1.2.3.',
    '.1.2.3',
    '1.2.3.4a',
    '1.2.3.4/24',
    '1.2.3.4-5',
    '1234.1.1.1',
    '',
  ])('%j', (ip) => {
    const cut = ip.search(/[-/]/);
    const bytes = pton4(cut >= 0 ? ip.slice(0, cut) : ip);
    const want = bytes ? { family: 'inet', address: formatIp({ family: 'inet', bytes }), port: 0 } : undefined;
    expect(readSockAddr(silent, ip, undefined)).toEqual(want);
  });
});
