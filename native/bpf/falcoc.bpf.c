// SPDX-License-Identifier: Dual BSD/GPL
/* falcoc's kernel side. One program runs at the exit tracepoint of each syscall the bundle
 * and state keeping need (syscalls/sys_exit_<name>, attached by the loader: a syscall left
 * unattached costs its callers nothing beyond the kernel's tracing slow path). It reads the
 * syscall's arguments from the task's saved registers, builds a scap/ppm exit event with the
 * enter parameters folded in (the layout of Falco's current drivers) in per-CPU scratch
 * space, and copies it into a ring buffer. Events lost to a full ring are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "falcoc.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by the loader before load. */
const volatile __u32 excluded_tgid = 0;
/* Epoch ns at boot: event times are boot-clock ns plus this (scap times are epoch ns). */
const volatile __u64 boot_time_ns = 0;

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 8 * 1024 * 1024); /* resized by the loader */
} events SEC(".maps");

struct scratch {
  __u8 data[FALCOC_SCRATCH_SIZE];
};

/* One entry per possible CPU (the loader sets max_entries). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct scratch);
} scratch_map SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct falcoc_counters);
} counters SEC(".maps");

/* syscalls/sys_exit_<name> tracepoint record. */
struct sys_exit_args {
  __u64 common;
  __s32 nr;
  __u32 pad;
  __s64 ret;
};

/* An event being built in the scratch space. */
struct ev {
  __u8 *buf;
  __u32 off;
  __u32 param;
  __u32 nparams;
  __u16 type;
};

static __always_inline int ev_start(struct ev *e, __u16 type, __u32 nparams) {
  __u32 cpu = bpf_get_smp_processor_id();
  e->buf = bpf_map_lookup_elem(&scratch_map, &cpu);
  if (!e->buf) return -1;
  e->type = type;
  e->nparams = nparams;
  e->param = 0;
  e->off = FALCOC_HEADER_SIZE + 2 * nparams;
  return 0;
}

static __always_inline void ev_len(struct ev *e, __u16 len) {
  __u32 at = FALCOC_HEADER_SIZE + 2 * e->param;
  *(__u16 *)(e->buf + (at & FALCOC_SCRATCH_MASK)) = len;
  e->param++;
  e->off += len;
}

static __always_inline void ev_u64(struct ev *e, __u64 v) {
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &v, 8);
  ev_len(e, 8);
}

static __always_inline void ev_u32(struct ev *e, __u32 v) {
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &v, 4);
  ev_len(e, 4);
}

/* A NUL-terminated string from user memory; empty when it cannot be read. */
static __always_inline void ev_user_str(struct ev *e, const char *p) {
  long n = bpf_probe_read_user_str(e->buf + (e->off & FALCOC_SCRATCH_MASK), FALCOC_MAX_STR, p);
  ev_len(e, n > 0 ? (__u16)n : 0);
}

static __always_inline void ev_submit(struct ev *e) {
  __u32 zero = 0;
  struct falcoc_counters *c = bpf_map_lookup_elem(&counters, &zero);
  __u32 len = e->off;
  if (len > FALCOC_SCRATCH_MASK) {
    if (c) c->truncated++;
    return;
  }
  __u64 ts = bpf_ktime_get_boot_ns() + boot_time_ns;
  __u64 tid = (__u32)bpf_get_current_pid_tgid();
  __builtin_memcpy(e->buf + 0, &ts, 8);
  __builtin_memcpy(e->buf + 8, &tid, 8);
  __builtin_memcpy(e->buf + 16, &len, 4);
  __builtin_memcpy(e->buf + 20, &e->type, 2);
  __builtin_memcpy(e->buf + 22, &e->nparams, 4);
  if (bpf_ringbuf_output(&events, e->buf, len, 0) != 0) {
    if (c) c->drops++;
    return;
  }
  if (c) c->events++;
}

/* Kernel open flags (O_*) → the ppm encoding (events.json file_flags). Like Falco's driver,
 * multi-bit flags (O_SYNC, O_TMPFILE) match when any of their bits is set. */
static __always_inline __u32 open_flags_to_ppm(__u64 flags) {
  __u32 r = 0;
  switch (flags & 03) {
  case 01: r |= 2; break;  /* O_WRONLY */
  case 02: r |= 3; break;  /* O_RDWR */
  default: r |= 1; break;  /* O_RDONLY */
  }
  if (flags & 0100) r |= 4;          /* O_CREAT */
  if (flags & 02000) r |= 8;         /* O_APPEND */
  if (flags & 010000) r |= 16;       /* O_DSYNC */
  if (flags & 0200) r |= 32;         /* O_EXCL */
  if (flags & 04000) r |= 64;        /* O_NONBLOCK */
  if (flags & 04010000) r |= 128;    /* O_SYNC */
  if (flags & 01000) r |= 256;       /* O_TRUNC */
  if (flags & 040000) r |= 512;      /* O_DIRECT */
  if (flags & 0200000) r |= 1024;    /* O_DIRECTORY */
  if (flags & 0100000) r |= 2048;    /* O_LARGEFILE */
  if (flags & 02000000) r |= 4096;   /* O_CLOEXEC */
  if (flags & 020200000) r |= 8192;  /* O_TMPFILE */
  return r;
}

#define FMODE_CREATED (1U << 20)
#define PPM_O_F_CREATED 16384

/* dev_t as userspace sees it (new_encode_dev), from the kernel's MAJOR<<20 | MINOR. */
static __always_inline __u32 encode_dev(__u32 dev) {
  __u32 major = dev >> 20, minor = dev & 0xfffff;
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static __always_inline struct file *fd_file(struct task_struct *task, long fd) {
  struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
  struct file *f = NULL;
  if (fd < 0 || !fds) return NULL;
  bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
  return f;
}

static __always_inline int exit_openat(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev e;
  if (ev_start(&e, PPME_SYSCALL_OPENAT_2_X, 7)) return 0;
  __u32 flags = open_flags_to_ppm(BPF_CORE_READ(regs, dx));
  __u32 dev = 0;
  __u64 ino = 0;
  struct file *f = ret >= 0 ? fd_file(task, ret) : NULL;
  if (f) {
    struct inode *inode = BPF_CORE_READ(f, f_inode);
    dev = encode_dev(BPF_CORE_READ(inode, i_sb, s_dev));
    ino = BPF_CORE_READ(inode, i_ino);
    if (BPF_CORE_READ(f, f_mode) & FMODE_CREATED) flags |= PPM_O_F_CREATED;
  }
  ev_u64(&e, ret);                                        /* fd */
  ev_u64(&e, (__s64)(__s32)BPF_CORE_READ(regs, di));      /* dirfd */
  ev_user_str(&e, (const char *)BPF_CORE_READ(regs, si)); /* name */
  ev_u32(&e, flags);                                      /* flags */
  ev_u32(&e, (__u32)BPF_CORE_READ(regs, r10));            /* mode */
  ev_u32(&e, dev);                                        /* dev */
  ev_u64(&e, ino);                                        /* ino */
  ev_submit(&e);
  return 0;
}

static __always_inline int exit_close(struct pt_regs *regs, long ret) {
  struct ev e;
  if (ev_start(&e, PPME_SYSCALL_CLOSE_X, 2)) return 0;
  ev_u64(&e, ret);                                   /* res */
  ev_u64(&e, (__s64)(__s32)BPF_CORE_READ(regs, di)); /* fd */
  ev_submit(&e);
  return 0;
}

SEC("tp")
int sys_exit(struct sys_exit_args *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) == excluded_tgid) return 0;
  struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
  struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
  switch (ctx->nr) {
  case FALCOC_NR_openat:
    return exit_openat(task, regs, ctx->ret);
  case FALCOC_NR_close:
    return exit_close(regs, ctx->ret);
  }
  return 0;
}
