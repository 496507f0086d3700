import { describe, expect, it } from 'vitest';
import { defaultTrackProcess, type TrackProcess } from '../config/schema/vrrp-track.js';
import { hasQuorum, processMatches } from './process-match.js';

const tp = (o: Partial<TrackProcess>): TrackProcess => ({ ...defaultTrackProcess('p', 'nginx'), ...o });
const proc = (comm: string, ...argv: string[]) => ({ comm, cmdline: argv.map((a) => `${a}\0`).join('') });

describe('vrrp_track_process matching (keepalived read_procs / check_params)', () => {
  it.each<[string, Partial<TrackProcess>, ReturnType<typeof proc>, boolean]>([
    ['comm match', {}, proc('nginx', '/usr/sbin/nginx', '-g', 'daemon off;'), true],
    ['comm differs', {}, proc('nginx-debug', '/usr/sbin/nginx'), false],
    ['full_command matches argv[0], not comm', { process: '/usr/sbin/nginx', fullCommand: true }, proc('nginx', '/usr/sbin/nginx'), true],
    ['full_command: comm alone is not enough', { process: 'nginx', fullCommand: true }, proc('nginx', '/usr/sbin/nginx'), false],
    ['exact params', { process: '/bin/app', fullCommand: true, params: ['-a', 'x'], paramMatch: 'exact' }, proc('app', '/bin/app', '-a', 'x'), true],
    ['exact params: an extra one fails', { process: '/bin/app', fullCommand: true, params: ['-a'], paramMatch: 'exact' }, proc('app', '/bin/app', '-a', 'x'), false],
    ['exact with no params wants none', { process: '/bin/app', fullCommand: true, paramMatch: 'exact' }, proc('app', '/bin/app'), true],
    ['exact with no params: any param fails', { process: '/bin/app', fullCommand: true, paramMatch: 'exact' }, proc('app', '/bin/app', '-v'), false],
    ['partial: leading params', { process: '/bin/app', fullCommand: true, params: ['-a'], paramMatch: 'partial' }, proc('app', '/bin/app', '-a', 'x'), true],
    ['partial: a prefix of a param is not enough', { process: '/bin/app', fullCommand: true, params: ['-a'], paramMatch: 'partial' }, proc('app', '/bin/app', '-ab'), false],
    ['initial: the last param may be a prefix', { process: '/bin/app', fullCommand: true, params: ['-c', 'con'], paramMatch: 'initial' }, proc('app', '/bin/app', '-c', 'config.yml'), true],
    ['initial: earlier params must be whole', { process: '/bin/app', fullCommand: true, params: ['-', 'x'], paramMatch: 'initial' }, proc('app', '/bin/app', '-c', 'x'), false],
  ])('%s', (_what, o, p, expected) => {
    expect(processMatches(tp(o), p)).toBe(expected);
  });

  it.each([
    [0, false],
    [1, true],
    [2, true],
    [3, false],
  ])('quorum 1..2 with %i running → %s', (n, up) => {
    expect(hasQuorum(tp({ quorum: 1, quorumMax: 2 }), n)).toBe(up);
  });
});
