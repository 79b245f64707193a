// Shape of the kernel event table (event-table.ts): the scap/ppm event layout that the live
// driver and capture files share.

export interface EventParamInfo {
  readonly name: string;
  /** PT_ type without the prefix (CHARBUF, FD, ERRNO, FLAGS32, …). */
  readonly type: string;
  /** Print format: DEC, HEX, OCT, NA, … */
  readonly fmt: string;
  /** FLAGS/ENUMFLAGS/MODE: the FLAG_TABLES entry used to render the value symbolically. */
  readonly flagTable?: string;
  /** FSRELPATH: index of the parameter holding the directory fd the path is relative to. */
  readonly dirfdParam?: number;
}

export interface EventInfo {
  readonly code: number;
  readonly enum: string;
  /** Name as `evt.type` shows it; every version of a syscall shares it; 'NA' for unused slots. */
  readonly name: string;
  readonly dir: 'enter' | 'exit';
  readonly kind: string;
  readonly category: string;
  readonly flags: readonly string[];
  /** Current drivers may emit it (not OLD_VERSION, not UNUSED). */
  readonly current: boolean;
  readonly params: readonly EventParamInfo[];
  /** Syscalls this event code stands for. */
  readonly syscalls?: readonly string[];
}
