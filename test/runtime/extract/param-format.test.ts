import { describe, expect, it } from 'vitest';
import { enumFlagsText, flagsText, formatG, formatInteger, modeText } from '../../../runtime/extract/param-format.ts';

describe('flag names (FLAGS walk)', () => {
  it('names each contained flag once, in table order, and stops at an exact match', () => {
    expect(flagsText(4097, 'file_flags')).toBe('O_RDONLY|O_CLOEXEC');
    expect(flagsText(3, 'file_flags')).toBe('O_RDWR');
    expect(flagsText(0x106, 'file_flags')).toBe('O_TRUNC|O_CREAT|O_WRONLY');
    expect(flagsText(1, 'renameat2_flags')).toBe('RENAME_NOREPLACE');
  });
  it('names 0 only when the table has a 0 entry', () => {
    expect(flagsText(0, 'file_flags')).toBe('O_NONE');
    expect(flagsText(0, 'unlinkat_flags')).toBe('');
    expect(flagsText(0, 'execve_flags')).toBe('');
  });
  it('renders execve flags as Falco does', () => {
    expect(flagsText(1, 'execve_flags')).toBe('EXE_WRITABLE');
    expect(flagsText(5, 'execve_flags')).toBe('EXE_WRITABLE|EXE_FROM_MEMFD');
  });
});

describe('enum flag names (exact matches)', () => {
  it('joins every name of the value', () => {
    expect(enumFlagsText(17, 'socket_families')).toBe('AF_PACKET');
    expect(enumFlagsText(1, 'socket_families')).toBe('AF_LOCAL|AF_UNIX');
    expect(enumFlagsText(16, 'socket_families')).toBe('AF_ROUTE|AF_NETLINK');
    expect(enumFlagsText(5, 'bpf_commands')).toBe('BPF_PROG_LOAD');
    expect(enumFlagsText(10, 'bpf_commands')).toBe('BPF_PROG_TEST_RUN|BPF_PROG_RUN');
    expect(enumFlagsText(1, 'fcntl_commands')).toBe('F_DUPFD');
    expect(enumFlagsText(99, 'fcntl_commands')).toBe('');
  });
});

describe('mode names', () => {
  it('names the contained bits, lowest first (the oracle setuid/setgid chmods)', () => {
    expect(modeText(0o4600, 'chmod_mode')).toBe('S_IWUSR|S_IRUSR|S_ISUID');
    expect(modeText(0o6600, 'chmod_mode')).toBe('S_IWUSR|S_IRUSR|S_ISGID|S_ISUID');
    expect(modeText(0o755, 'chmod_mode')).toBe('S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR');
  });
  it('stops at an entry equal to the whole value and names it last', () => {
    expect(modeText(0o400, 'chmod_mode')).toBe('S_IRUSR');
    expect(modeText(0, 'chmod_mode')).toBe('');
  });
});

describe('integers per print format', () => {
  it('uses %#o, upper-case %X and %09d', () => {
    expect(formatInteger(0o4600n, 'OCT', 32)).toBe('04600');
    expect(formatInteger(0n, 'OCT', 32)).toBe('0');
    expect(formatInteger(4097n, 'HEX', 32)).toBe('1001');
    expect(formatInteger(-1n, 'HEX', 32)).toBe('FFFFFFFF');
    expect(formatInteger(255n, 'HEX', 64)).toBe('FF');
    expect(formatInteger(42n, '10_PADDED_DEC', 64)).toBe('000000042');
    expect(formatInteger(-2n, 'DEC', 64)).toBe('-2');
  });
});

describe('%g', () => {
  it('keeps 6 significant digits and switches to exponents like C', () => {
    expect(formatG(1.5)).toBe('1.5');
    expect(formatG(2)).toBe('2');
    expect(formatG(0.000001)).toBe('1e-06');
    expect(formatG(0.0001)).toBe('0.0001');
    expect(formatG(1234567)).toBe('1.23457e+06');
    expect(formatG(123456)).toBe('123456');
    expect(formatG(0.1234567)).toBe('0.123457');
  });
});
