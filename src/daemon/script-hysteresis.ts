/**
 * keepalived 2.2.7's vrrp_script rise/fall counter (reference §3.5), pure:
 * R consecutive successes to go good, F consecutive failures to go bad, and at
 * start-up the first result decides at once in either direction.
 */
export interface ScriptCounter {
  readonly rise: number;
  readonly fall: number;
  readonly count: number;
  readonly status: 'unknown' | 'up' | 'down';
}

export function initialCounter(rise: number, fall: number, isInitFail: boolean): ScriptCounter {
  return { rise, fall, count: isInitFail ? 0 : rise - 1, status: isInitFail ? 'down' : 'unknown' };
}

/** keepalived: vrrp_script_child_thread(): the counter runs 0 (bad) … rise + fall − 1 (good). */
export function recordResult(c: ScriptCounter, isSuccess: boolean): ScriptCounter {
  const top = c.rise + c.fall - 1;
  if (isSuccess) {
    if (c.count < c.rise - 1) return { ...c, count: c.count + 1 };
    return { ...c, count: top, status: c.count < c.rise ? 'up' : c.status };
  }
  if (c.count > c.rise) return { ...c, count: c.count - 1 };
  return { ...c, count: 0, status: 'down' };
}
