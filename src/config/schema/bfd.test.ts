import { describe, expect, it } from 'vitest';
import { memoryFs } from '../../testing/memory-fs.js';
import { pinnedHost, readConfig } from '../index.js';

const PATH = '/etc/keepalived/keepalived.conf';
const read = (text: string) =>
  readConfig({ path: PATH, configId: 'n', cwd: '/', fs: memoryFs({ [PATH]: text }), host: pinnedHost({}) });
const errors = (text: string) =>
  read(text)
    .diagnostics.filter((d) => d.severity !== 'log')
    .map((d) => [d.loc?.line, d.message]);
const bfd = (name: string, ...lines: string[]) => `bfd_instance ${name} {\n${lines.join('\n')}\n}\n`;

describe('bfd_instance', () => {
  it('defaults', () => {
    const r = read(bfd('B', 'neighbor_ip 10.0.0.1'));
    expect(r.exitCode).toBe(0);
    expect(r.config.global.bfd.instances).toEqual([
      {
        name: 'B',
        neighbor: { family: 4, address: '10.0.0.1' },
        minRxUs: 10000,
        minTxUs: 10000,
        idleTxUs: 1000000,
        multiplier: 5,
        passive: false,
        ttl: 255,
        maxHops: 0,
        vrrp: true,
        checker: true,
      },
    ]);
    expect([...r.config.global.bfd.vrrpTracked]).toEqual([['B', { weight: 0, reverse: false }]]);
    expect([...r.config.global.bfd.checkerTracked]).toEqual(['B']);
  });

  it('values and aliases', () => {
    const r = read(
      bfd(
        'B',
        'neighbour_ip fe80::1',
        'source_ip fe80::2',
        'min_rx 5.5',
        'min_tx 20',
        'idle_tx 2000',
        'multiplier 3',
        'passive',
        'max_hops 2',
        'weight -20 reverse',
        'vrrp',
      ),
    );
    expect(r.exitCode).toBe(0);
    const i = r.config.global.bfd.instances[0];
    expect(i).toMatchObject({ minRxUs: 5500, minTxUs: 20000, idleTxUs: 2000000, multiplier: 3, passive: true, ttl: 64 });
    expect([i?.vrrp, i?.checker]).toEqual([true, false]);
    expect(r.config.global.bfd.vrrpTracked.get('B')).toEqual({ weight: -20, reverse: true });
    expect(r.config.global.bfd.checkerTracked.has('B')).toBe(false);
    expect(read(bfd('B', 'neighbor_ip 1.1.1.1', 'hoplimit 9')).config.global.bfd.instances[0]?.ttl).toBe(9);
  });

  it.each<[string, (string | number)[][]]>([
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'min_rx 0'),
      [
        [3, "number '0' outside range [1.000, 4294967.000]"],
        [3, 'Configuration error: BFD instance B min_rx value 0 is not valid (must be in range [1-4294967]), ignoring'],
      ],
    ],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'idle_tx 999'),
      [
        [3, "number '999' outside range [1000.000, 4294967.000]"],
        [3, 'Configuration error: BFD instance B idle_tx value 999 is not valid (must be in range [1000-4294967]), ignoring'],
      ],
    ],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'multiplier 0'),
      [
        [3, "number '0' outside range [1, 255]"],
        [3, 'Configuration error: BFD instance B multiplier value 0 not valid (must be in range [1-255]), ignoring'],
      ],
    ],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'max_hops -2'),
      [
        [3, "number '-2' outside range [-1, 255]"],
        [3, 'Configuration error: BFD instance B max_hops value -2 not valid (must be in range [-1-255]), ignoring'],
      ],
    ],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'source_ip x'),
      [[3, 'Configuration error: BFD instance B has malformed source address x, ignoring']],
    ],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'weight 1 sideways'),
      [[3, 'Configuration error: BFD instance B unknown weight option sideways']],
    ],
    [bfd('B', 'passive'), [[3, 'Configuration error: BFD instance B has no neighbor address set, disabling instance']]],
    [
      bfd('B', 'neighbor_ip 10.0.0.1', 'ttl 3', 'max_hops 5'),
      [[5, 'BFD instance B: max_hops exceeds ttl/hoplimit - setting to ttl/hoplimit']],
    ],
  ])('%s', (text, want) => {
    expect(errors(text)).toEqual(want);
  });

  it('keepalived compat: messages of the three passes, in pass order (checker, VRRP, BFD)', () => {
    const text = [
      bfd('B1', 'neighbor_ip 10.0.0.1', 'source_ip fe80::1', 'weight 300'),
      bfd('B2', 'neighbor_ip 10.0.0.2', 'checker'),
      bfd('B2', 'neighbor_ip 10.0.0.3'),
      bfd('B3', 'neighbour_ip 10.0.0.x', 'min_tx 0'),
      bfd('B4', 'neighbor_ip 10.0.0.2'),
      bfd('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 'neighbor_ip 1.1.1.1'),
    ].join('');
    expect(errors(text)).toEqual([
      [10, 'BFD B2 already specified'],
      [4, "number '300' outside range [-253, 253]"],
      [4, 'Configuration error: BFD instance B1 weight value 300 not valid (must be in range [-253-253]), ignoring'],
      [20, 'BFD name ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 too long'],
      [
        5,
        'Configuration error: BFD instance B1 source address fe80::1 and neighbor address fe80::1 are not of the same family, disabling instance',
      ],
      [10, 'Configuration error: BFD instance B2 already configured - ignoring'],
      [14, 'Configuration error: BFD instance B3 has malformed neighbor address 10.0.0.x, ignoring instance'],
      [19, 'Configuration error: BFD instance B4 has duplicate neighbor address 10.0.0.2, ignoring instance'],
      [
        20,
        'Configuration error: BFD instance ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 name too long (maximum length is 31 characters) - ignoring',
      ],
    ]);
  });

  it('keepalived compat: duplicate source/neighbour pairs are compared as addresses', () => {
    expect(errors(bfd('A', 'neighbor_ip fe80::0:1', 'source_ip fe80::2') + bfd('B', 'neighbor_ip fe80::1', 'source_ip fe80:0::2'))).toEqual([
      [8, 'Configuration error: BFD instance B has duplicate source/neighbor address fe80::2/fe80::1, ignoring instance'],
    ]);
  });

  it('keepalived compat: the parent pass skips bfd_instance and a missing word stops the run', () => {
    const r = read(bfd('B', 'neighbor_ip 10.0.0.1', 'weight'));
    expect(r.exitCode).toBe(2);
    expect(r.diagnostics.at(-1)?.message).toBe(
      '*** Configuration line starting `weight` is missing a parameter after keyword `weight` at word position 2',
    );
  });
});
