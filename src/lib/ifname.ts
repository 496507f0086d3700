/**
 * Interface names as the kernel allows them (dev_valid_name()): anything else is
 * never looked up, so a name from the config cannot walk out of /sys/class/net.
 */
export function isValidIfname(ifname: string): boolean {
  return ifname !== '' && ifname !== '.' && ifname !== '..' && ifname.length < 16 && !/[/\s:\0]/.test(ifname);
}
