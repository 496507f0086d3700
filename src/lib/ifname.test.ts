import { describe, expect, it } from 'vitest';
import { isValidIfname } from './ifname.js';

describe('isValidIfname (the kernel\'s dev_valid_name)', () => {
  it.each(['eth0', 'bond0.100', 'veth-a_1', 'x'.repeat(15)])('%s is a name', (n) => expect(isValidIfname(n)).toBe(true));
  it.each(['', '.', '..', '../eth0', 'eth 0', 'eth:1', 'a\0b', 'x'.repeat(16)])('%j is not', (n) => expect(isValidIfname(n)).toBe(false));
});
