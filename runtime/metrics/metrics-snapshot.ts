// What the runtime hands the metrics endpoint at each scrape: counters it keeps anyway, read
// as they are (no history, no rates: Prometheus computes those). Every field maps to one
// metric family listed in README.md; optional fields are metrics falcoc may not have yet.

/** One rule that matched at least once: Falco's rules_matches_total sample. */
export interface RuleMatchCount {
  rule: string;
  /** Falco's priority name as rules write it (`Warning`, `NOTICE`, …); exported as its number. */
  priority: string;
  source: string;
  tags: readonly string[];
  /** Times the rule matched (before rate limiting and dedup, as Falco's engine counts). */
  count: number;
}

/** Kernel-side losses (Falco's scap n_drops family). */
export interface KernelDrops {
  /** Every event lost (scap n_drops). */
  total: number;
  /** Ring buffer full, by kind of event as libscap names it (`clone_fork`, `execve`, `connect`,
   * `open`, `dir_file`, `close`, `proc`, `other_interest`); exit events, as Falco now counts. */
  byKind?: Readonly<Record<string, number>>;
  /** Event larger than the kernel side's scratch space (scap n_drops_scratch_map). */
  scratchMap?: number;
  /** A user-memory read faulted (scap n_drops_page_faults). */
  pageFaults?: number;
  /** Lost to a driver bug (scap n_drops_bug). */
  bug?: number;
}

/** One output's delivery counters (runtime/outputs SinkStats plus its queue). */
export interface OutputCounters {
  sent: number;
  failed: number;
  /** Refused because its queue was full (queued outputs only). */
  dropped?: number;
  /** Waiting in its queue now (queued outputs only). */
  queued?: number;
}

/** libsinsp's state tables (Falco's state_counters_enabled). */
export interface StateCounters {
  /** Threads in the table now. */
  threads: number;
  /** File descriptors in all threads' tables now. */
  fds: number;
  addedThreads?: number;
  removedThreads?: number;
  failedThreadLookups?: number;
  addedFds?: number;
  removedFds?: number;
  failedFdLookups?: number;
  /** Threads not added because the table was full. */
  threadTableDrops?: number;
  /** Containers known now. */
  containers?: number;
}

/** A loaded rules or configuration file, for Falco's sha256_*_files_info. */
export interface FileDigest {
  /** Path or name; only the file name is exported, as Falco does. */
  file: string;
  sha256: string;
}

export interface MetricsSnapshot {
  /** The version reported as Falco's (`falcosecurity_falco_version_info`). */
  version: string;
  /** Wall-clock start, nanoseconds since the epoch (start_ts; uptime is derived from it). */
  startNs: bigint;
  /** When the configuration and rules were last (re)loaded; default startNs. */
  reloadNs?: bigint;
  /** Events the kernel side delivered (scap n_evts). */
  events: number;
  drops: KernelDrops;
  /** Events the engine processed, per event source (falcoc's own). */
  eventsBySource?: Readonly<Record<string, number>>;
  /** The capture engine of each enabled source (Falco: `modern_bpf`, `kmod`, `source_plugin`…). */
  engines?: readonly { source: string; engine: string }[];
  /** Rules with at least one match (others are left out, as Falco does). */
  ruleMatches: readonly RuleMatchCount[];
  /** Per output name (`stdout`, `file`, `http`, …). */
  outputs: Readonly<Record<string, OutputCounters>>;
  /** Falco's outputs_queue_num_drops; default: the sum of the outputs' `dropped`. */
  outputsQueueDrops?: number;
  /** Alerts held back by falcoc.rate_limit and falcoc.dedup (runtime/outputs GateStats fits). */
  suppressed: { readonly rateLimited: number; readonly deduplicated: number };
  state?: StateCounters;
  rulesFiles?: readonly FileDigest[];
  configFiles?: readonly FileDigest[];
}
