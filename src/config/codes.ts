/**
 * The config reader's diagnostic codes (STYLE §8): diagnostics are values, not
 * errors, but their codes are as stable as the error registry's — tools grep
 * `-t` output and `--dump-conf` for them. Listed with their meaning in
 * docs/errors.md (checked by codes.test.ts). Codes are never reused.
 */
export const diagnosticCodes = {
  KA_CFG_LOG: 'a message keepalived only logs (it does not change the -t status)',
  KA_CFG_INVALID: 'an invalid value or combination; keepalived ignores it or falls back to a default',
  KA_CFG_NUMBER: 'a number that does not parse or is out of range',
  KA_CFG_WARNING: 'a setting keepalived accepts with a warning',
  KA_CFG_DEPRECATED: 'a deprecated keyword, with its replacement',
  KA_CFG_UNKNOWN_KEYWORD: 'a keyword unknown in this block (often with a did-you-mean)',
  KA_CFG_MISSING_PARAMETER: 'a keyword lacks a required word: keepalived stops at once (-t status 2)',
  KA_CFG_MISSING_BOB: "a block's '{' is missing",
  KA_CFG_UNEXPECTED_BOB: "a '{' where no block can start",
  KA_CFG_EXTRA_EOB: "a '}' with no block open",
  KA_CFG_MISSING_EOB: "blocks left open at the end of the configuration",
  KA_CFG_QUOTE: 'an unterminated or unmatched quote',
  KA_CFG_SEQ: 'an invalid ~SEQ or ~LST generator',
  KA_CFG_SUBST_TOO_LONG: 'a $NAME substitution would exceed the maximum line length',
  KA_CFG_SUBST_DEPTH: 'multi-line definitions nested too deep (a recursive definition)',
  KA_CFG_NO_CONFIG: 'the main configuration file is missing',
  KA_CFG_MULTIPLE_FILES: 'the -f pattern matches several files',
  KA_CFG_INCLUDE: 'an include matched nothing or could not be read (an error when the include is strict)',
  KA_CFG_INCLUDE_DEPTH: 'includes nested too deep (a recursive include)',
  KA_CFG_INCLUDE_CYCLE: 'a file includes itself',
  KA_CFG_TOO_LARGE: 'the configuration expands to too many lines or files',
  KA_CFG_BAD_IF: 'an interface the configuration names does not exist on this host',
  KA_CFG_STATIC_NO_IF: 'a static address without an interface, and no default interface',
  KA_CFG_VRRP: 'a VRRP instance, group or script fails validation',
  KA_CFG_NO_VIP: 'a VRRP instance has no virtual address',
  KA_CFG_SCRIPT_USER: 'the script user (keepalived_script or script_user) cannot be used',
  KA_CFG_SCRIPT_MISSING: 'a script file cannot be found',
  KA_CFG_SCRIPT_NOT_EXECUTABLE: 'a script file is not executable or not secure',
  KA_CFG_SCRIPT_SECURITY: 'scripts are configured without enable_script_security (-t status 6)',
} as const;

export type DiagnosticCode = keyof typeof diagnosticCodes;
