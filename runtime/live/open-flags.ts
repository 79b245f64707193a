// Kernel open flags (O_*, x86_64 values) → the ppm encoding (events.json file_flags), as the
// eBPF program converts them (native/bpf/falcoc.bpf.c, open_flags_to_ppm): for fds found in
// /proc at start. Like Falco's driver, multi-bit flags (O_SYNC, O_TMPFILE) match when any of
// their bits is set.
const BITS: readonly [kernel: number, ppm: number][] = [
  [0o100, 4], // O_CREAT
  [0o2000, 8], // O_APPEND
  [0o10000, 16], // O_DSYNC
  [0o200, 32], // O_EXCL
  [0o4000, 64], // O_NONBLOCK
  [0o4010000, 128], // O_SYNC
  [0o1000, 256], // O_TRUNC
  [0o40000, 512], // O_DIRECT
  [0o200000, 1024], // O_DIRECTORY
  [0o100000, 2048], // O_LARGEFILE
  [0o2000000, 4096], // O_CLOEXEC
  [0o20200000, 8192], // O_TMPFILE
];

export function openFlagsToPpm(flags: number): number {
  const mode = flags & 3;
  let r = mode === 1 ? 2 : mode === 2 ? 3 : 1;
  for (const [k, p] of BITS) if ((flags & k) !== 0) r |= p;
  return r;
}
