/* Shared by the eBPF program and the addon: what crosses the ring buffer and the maps.
 * Events are scap/ppm events (see ../shared/spec/events.json): a 26-byte header
 * (ts u64, tid u64, len u32, type u16, nparams u32), nparams u16 parameter lengths, then the
 * parameters. The driver emits exit events with the enter parameters folded in, as Falco's
 * current drivers do. x86_64 only. */
#ifndef FALCOC_H
#define FALCOC_H

#define FALCOC_HEADER_SIZE 26
/* Stage per CPU: the staged events and the one being built. Writes are masked into its first
 * half so the verifier can bound them, the second half absorbs the overrun of the last write. */
#define FALCOC_SCRATCH_SIZE (128 * 1024)
#define FALCOC_SCRATCH_MASK (FALCOC_SCRATCH_SIZE / 2 - 1)
/* Staged bytes past which a handler sends the stage. An event starts at most this far in, so
 * one up to ~60 KiB (far above the largest, an execve's) fits below the mask. */
#define FALCOC_FLUSH_AT 4096
/* A ring record: this header, then `count` events back to back. */
struct falcoc_record {
  unsigned long long horizon; /* every event of `cpu` up to this time is in this record or before */
  unsigned int cpu;
  unsigned int count;
};
/* Longest string parameter copied (paths: PATH_MAX). */
#define FALCOC_MAX_STR 4096

/* Event codes (events.json). */
#define PPME_SYSCALL_OPEN_X 3
#define PPME_SYSCALL_CLOSE_X 5
#define PPME_SYSCALL_CREAT_X 59
#define PPME_SYSCALL_OPENAT2_X 327
#define PPME_SOCKET_BIND_X 21
#define PPME_SOCKET_CONNECT_X 23
#define PPME_SOCKET_SENDTO_X 31
#define PPME_SOCKET_RECVFROM_X 35
#define PPME_SOCKET_SENDMSG_X 49
#define PPME_SOCKET_RECVMSG_X 53
#define PPME_SOCKET_ACCEPT_5_X 247
#define PPME_SOCKET_ACCEPT4_6_X 389
#define PPME_PROCEXIT_1_E 186
#define PPME_SYSCALL_CLONE_20_X 223
#define PPME_SYSCALL_FORK_20_X 225
#define PPME_SYSCALL_VFORK_20_X 227
#define PPME_SYSCALL_EXECVE_19_X 293
#define PPME_SYSCALL_OPENAT_2_X 307
#define PPME_SYSCALL_EXECVEAT_X 331
#define PPME_SYSCALL_CLONE3_X 335

/* x86_64 syscall numbers (all below FALCOC_MAX_SYSCALL). */
#define FALCOC_MAX_SYSCALL 512
#define FALCOC_NR_open 2
#define FALCOC_NR_close 3
#define FALCOC_NR_creat 85
#define FALCOC_NR_openat2 437
#define FALCOC_NR_connect 42
#define FALCOC_NR_sendto 44
#define FALCOC_NR_recvfrom 45
#define FALCOC_NR_sendmsg 46
#define FALCOC_NR_recvmsg 47
#define FALCOC_NR_accept 43
#define FALCOC_NR_bind 49
#define FALCOC_NR_accept4 288
#define FALCOC_NR_clone 56
#define FALCOC_NR_fork 57
#define FALCOC_NR_vfork 58
#define FALCOC_NR_execve 59
#define FALCOC_NR_openat 257
#define FALCOC_NR_execveat 322
#define FALCOC_NR_clone3 435

/* Per-CPU counters (one array entry per CPU). */
struct falcoc_counters {
  unsigned long long events;
  /* Events lost because the ring buffer was full. */
  unsigned long long drops;
  /* Events whose parameters did not fit the scratch space. */
  unsigned long long truncated;
};

#endif
