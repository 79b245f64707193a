// What a capture file (.scap) holds, as the capture reader hands it to the rest of the runtime:
// the tables snapshot at the head (machine, threads, fds, users, groups, interfaces) and then
// the events. Strings are byte strings (one UTF-16 unit per byte), as everywhere in falcoc.

export interface SectionHeader {
  /** Byte order of the section (blocks and, for captures written on such a host, events). */
  littleEndian: boolean;
  major: number;
  minor: number;
}

export interface MachineInfo {
  numCpus: number;
  memoryBytes: bigint;
  /** Not recorded by scap files (scap_machine_info has no such field): 0 when read from one. */
  maxCpuFrequency: bigint;
  /** Not recorded by scap files: 0 when read from one. */
  pageSize: number;
  hostname: string;
  /** Boot time in ns since the epoch (0 when the file does not record it). */
  bootTimeNs: bigint;
  /** Highest pid of the machine (scap_machine_info.max_pid). */
  maxPid?: bigint;
  /** scap_machine_info.flags (0 in files from libscap versions that predate it). */
  flags?: bigint;
}

/** One thread of the capture's process table (normalised across the block versions). */
export interface ThreadRecord {
  tid: bigint;
  pid: bigint;
  ptid: bigint;
  sid: bigint;
  vpgid: bigint;
  pgid: bigint;
  comm: string;
  exe: string;
  exepath: string;
  exeWritable: boolean;
  exeUpperLayer: boolean;
  exeLowerLayer: boolean;
  exeFromMemfd: boolean;
  /** Command-line arguments after argv[0]. */
  args: string[];
  /** NAME=value entries. */
  env: string[];
  cwd: string;
  fdlimit: bigint;
  flags: number;
  uid: number;
  gid: number;
  loginuid: number;
  vmsizeKb: number;
  vmrssKb: number;
  vmswapKb: number;
  pfmajor: bigint;
  pfminor: bigint;
  /** "subsys=path" entries, as in the execve event's cgroups parameter. */
  cgroups: string[];
  root: string;
  vtid: bigint;
  vpid: bigint;
  tty: number;
  pidnsInitStartTs: bigint;
  /** Not recorded by process list blocks: 0 when read from one. */
  cloneTs: bigint;
  capPermitted: bigint;
  capEffective: bigint;
  capInheritable: bigint;
  exeIno: bigint;
  exeInoCtime: bigint;
  exeInoMtime: bigint;
}

/** scap fd types (scap_fd_type). */
export type FdType =
  | 'unknown' | 'file' | 'directory' | 'ipv4_sock' | 'ipv6_sock' | 'ipv4_servsock' | 'ipv6_servsock' | 'fifo'
  | 'unix_sock' | 'event' | 'unsupported' | 'signalfd' | 'eventpoll' | 'inotify' | 'timerfd' | 'netlink' | 'file_v2'
  | 'bpf' | 'userfaultfd' | 'io_uring' | 'memfd' | 'pidfd';

/** One fd of one thread in the capture's fd table. */
export interface FdRecord {
  tid: bigint;
  fd: bigint;
  ino: bigint;
  type: FdType;
  /** Path or name for files, fifos, unix sockets and the like. */
  name?: string;
  /** open flags (file_v2). */
  openFlags?: number;
  mountId?: number;
  dev?: number;
  /**
   * Sockets: addresses as byte strings of 4 or 16 bytes (network order, as stored), ports, L4
   * protocol. Server (listening) sockets have only a local side: `sip`/`sport`.
   */
  sip?: Uint8Array;
  dip?: Uint8Array;
  sport?: number;
  dport?: number;
  l4proto?: number;
  /** Unix sockets: source and destination kernel addresses. */
  unixSource?: bigint;
  unixDest?: bigint;
}

export interface UserRecord {
  uid: number;
  gid: number;
  name: string;
  homedir: string;
  shell: string;
  /** User list blocks do not record it: '' (the host) when read from one. */
  containerId: string;
}

export interface GroupRecord {
  gid: number;
  name: string;
  /** User list blocks do not record it: '' (the host) when read from one. */
  containerId: string;
}

export interface InterfaceRecord {
  family: 4 | 6;
  name: string;
  addr: Uint8Array;
  netmask: Uint8Array;
  bcast: Uint8Array;
  linkSpeed: bigint;
}

/**
 * One event as stored: `data[offset .. offset + length)` holds the ppm event (header, parameter
 * lengths, parameters). The bytes are only valid during the callback (the reader reuses its
 * buffer); copy what must outlive it.
 */
export interface EventSlice {
  data: Uint8Array;
  offset: number;
  length: number;
  cpu: number;
  /** Dump flags of EVF blocks; 0 for plain event blocks. */
  flags: number;
  /** Offset of the event's block in the (decompressed) capture stream, for error messages. */
  blockOffset: number;
  littleEndian: boolean;
  /**
   * A DataView over the same bytes as `data` (`view.getUint32(offset + 16, littleEndian)` is the
   * event length), so decoders need not build one per buffer. The capture reader always sets it.
   */
  view?: DataView;
}
