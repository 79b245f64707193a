// SPDX-License-Identifier: Dual BSD/GPL
/* falcoc's kernel side. A handler program per syscall family runs at the exit tracepoints
 * (syscalls/sys_exit_<name>) of the syscalls the bundle and state keeping need, attached by
 * the loader: a syscall left unattached costs its callers nothing beyond the kernel's tracing
 * slow path. A handler reads the syscall's arguments from the task's saved registers, builds
 * a scap/ppm exit event with the enter parameters folded in (the layout of Falco's current
 * drivers) in per-CPU scratch space, and copies it into a ring buffer. Events lost to a full
 * ring are counted. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
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

/* Events are staged per CPU and reach the ring buffer in records of many events: one ring
 * reservation per event (its lock, with interrupts off) cost each captured syscall ~60-100 ns
 * here. A record goes out when the stage passes FALCOC_FLUSH_AT bytes, and when the reader
 * asks (flush_stage, run on each CPU by the reader every poll), so nothing waits longer than a
 * poll period. Each record (struct falcoc_record) carries its CPU and a horizon: every event
 * that CPU made up to that time is in this record or an earlier one, which lets the reader
 * merge the CPUs' records into one stream in time order. */
/* The event being built and the stage, in map memory: the verifier sees offsets as unknown
 * scalars (masked at each write), so paths through different parameter lengths converge
 * instead of multiplying its states. Offsets are absolute in buf: the event starts at
 * `start`, the staged events before it. */
struct ev {
  /* Set while a handler builds an event or flushes: flush_stage (an interrupt on this CPU)
   * then leaves the stage alone. */
  __u32 busy;
  __u32 used;
  __u32 count;
  __u32 cpu;
  __u32 start;
  /* volatile: read from map memory at each use, so the verifier sees unknown values there
   * instead of exact ones carried in registers, which would multiply its states. */
  volatile __u32 off;
  volatile __u32 param;
  __u32 nparams;
  __u16 type;
  __u16 pad[3];
  /* The ring record: its header directly followed by the staged events. */
  struct falcoc_record hdr;
  __u8 buf[FALCOC_SCRATCH_SIZE];
};

/* One entry per possible CPU (the loader sets max_entries). */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct ev);
} scratch_map SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, __u32);
  __type(value, struct falcoc_counters);
} counters SEC(".maps");

#define WRITE_ONCE_U32(x, v) (*(volatile __u32 *)&(x) = (v))
#define READ_ONCE_U32(x) (*(volatile __u32 *)&(x))

static __always_inline struct ev *ev_start(__u16 type, __u32 nparams) {
  __u32 cpu = bpf_get_smp_processor_id();
  struct ev *e = bpf_map_lookup_elem(&scratch_map, &cpu);
  if (!e) return NULL;
  /* busy before the stage is read: an interrupt's flush either ran before or keeps off. */
  WRITE_ONCE_U32(e->busy, 1);
  __u32 start = READ_ONCE_U32(e->used);
  e->cpu = cpu;
  e->type = type;
  e->nparams = nparams;
  e->param = 0;
  e->start = start;
  e->off = start + FALCOC_HEADER_SIZE + 2 * nparams;
  return e;
}

static __always_inline void ev_len(struct ev *e, __u16 len) {
  __u32 at = e->start + FALCOC_HEADER_SIZE + 2 * e->param;
  *(__u16 *)(e->buf + (at & FALCOC_SCRATCH_MASK)) = len;
  e->param++;
  e->off += len;
}

static __always_inline void ev_u64(struct ev *e, __u64 v) {
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &v, 8);
  ev_len(e, 8);
}

static __always_inline void ev_u16(struct ev *e, __u16 v) {
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &v, 2);
  ev_len(e, 2);
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

/* Sends the stage as one record (an empty one still tells the reader the horizon). */
static __always_inline void stage_flush(struct ev *e, __u64 now) {
  __u32 zero = 0;
  struct falcoc_counters *c = bpf_map_lookup_elem(&counters, &zero);
  __u32 count = e->count;
  e->hdr.horizon = now;
  e->hdr.cpu = e->cpu;
  e->hdr.count = count;
  __u32 size = sizeof(struct falcoc_record) + (e->used & FALCOC_SCRATCH_MASK);
  if (bpf_ringbuf_output(&events, &e->hdr, size, BPF_RB_NO_WAKEUP) != 0) {
    if (c) c->drops += count;
  } else if (c) {
    c->events += count;
  }
  e->used = 0;
  e->count = 0;
}

static __always_inline void ev_submit(struct ev *e) {
  __u32 start = e->start;
  __u32 len = e->off - start;
  if (e->off > FALCOC_SCRATCH_MASK) {
    /* Too large to stage (never expected): its writes may have wrapped over the staged
     * events, so those go too, counted. */
    __u32 zero = 0;
    struct falcoc_counters *c = bpf_map_lookup_elem(&counters, &zero);
    if (c) c->truncated += e->count + 1;
    e->used = 0;
    e->count = 0;
    WRITE_ONCE_U32(e->busy, 0);
    return;
  }
  __u64 ts = bpf_ktime_get_boot_ns() + boot_time_ns;
  __u64 tid = (__u32)bpf_get_current_pid_tgid();
  __u8 *h = e->buf + (start & FALCOC_SCRATCH_MASK);
  __builtin_memcpy(h + 0, &ts, 8);
  __builtin_memcpy(h + 8, &tid, 8);
  __builtin_memcpy(h + 16, &len, 4);
  __builtin_memcpy(h + 20, &e->type, 2);
  __builtin_memcpy(h + 22, &e->nparams, 4);
  e->used = e->off;
  e->count++;
  if (e->off > FALCOC_FLUSH_AT) stage_flush(e, ts);
  WRITE_ONCE_U32(e->busy, 0);
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

/* Typed view of a kernel pointer read from memory (inlined by the verifier): its fields are
 * then plain loads instead of a probe-read helper call each. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* The file an open-family call returned: device, inode, and F_CREATED in `flags`. One helper
 * call (the fd table slot) and plain loads: this runs on every open. */
static __always_inline void opened_file(struct task_struct *task, long ret, __u32 *dev, __u64 *ino, __u32 *flags) {
  if (ret < 0) return;
  struct files_struct *files = task->files;
  if (!files) return;
  struct fdtable *fdt = files->fdt;
  if (!fdt) return;
  struct file **fds = fdt->fd;
  struct file *slot = NULL;
  bpf_probe_read_kernel(&slot, sizeof(slot), &fds[ret]);
  if (!slot) return;
  struct file *f = bpf_rdonly_cast(slot, bpf_core_type_id_kernel(struct file));
  struct inode *inode = f->f_inode;
  if (!inode) return;
  *dev = encode_dev(inode->i_sb->s_dev);
  *ino = inode->i_ino;
  if (flags && (f->f_mode & FMODE_CREATED)) *flags |= PPM_O_F_CREATED;
}

/* Kernel RESOLVE_* (openat2) → ppm openat2 flags. */
static __always_inline __u32 resolve_to_ppm(__u64 r) {
  return ((r & 0x08) ? 1 : 0) | ((r & 0x10) ? 2 : 0) | ((r & 0x02) ? 4 : 0) | ((r & 0x04) ? 8 : 0) | ((r & 0x01) ? 16 : 0) | ((r & 0x20) ? 32 : 0);
}

/* openat, open, creat and openat2: one layout each, the same facts. */
static __always_inline int exit_openat(struct task_struct *task, struct pt_regs *regs, long ret, int nr) {
  __u64 how[3] = {}; /* openat2's struct open_how: flags, mode, resolve */
  __u64 kflags, mode;
  if (nr == FALCOC_NR_openat2) {
    bpf_probe_read_user(how, sizeof(how), (void *)regs->dx);
    kflags = how[0];
    mode = how[1];
  } else if (nr == FALCOC_NR_open) {
    kflags = regs->si;
    mode = regs->dx;
  } else if (nr == FALCOC_NR_creat) {
    kflags = 01 | 0100 | 01000; /* creat = open(O_WRONLY | O_CREAT | O_TRUNC) */
    mode = regs->si;
  } else {
    kflags = regs->dx;
    mode = regs->r10;
  }
  /* Like Falco's driver: the mode is kept only when the call may create a file (O_CREAT, or
   * any bit of O_TMPFILE — which O_DIRECTORY shares, as in its flags). */
  if (!(kflags & (0100 | 020200000))) mode = 0;
  __u32 flags = open_flags_to_ppm(kflags), dev = 0;
  __u64 ino = 0;
  opened_file(task, ret, &dev, &ino, &flags);
  if (nr == FALCOC_NR_open || nr == FALCOC_NR_creat) {
    struct ev *e = ev_start(nr == FALCOC_NR_open ? PPME_SYSCALL_OPEN_X : PPME_SYSCALL_CREAT_X, 6);
    if (!e) return 0;
    ev_u64(e, ret);                         /* fd */
    ev_user_str(e, (const char *)regs->di); /* name */
    if (nr == FALCOC_NR_open) ev_u32(e, flags); /* flags */
    ev_u32(e, (__u32)mode);                 /* mode */
    ev_u32(e, dev);                         /* dev */
    ev_u64(e, ino);                         /* ino */
    if (nr == FALCOC_NR_creat) ev_u16(e, 0); /* creat_flags: overlay layers, not read */
    ev_submit(e);
    return 0;
  }
  int two = nr == FALCOC_NR_openat2;
  struct ev *e = ev_start(two ? PPME_SYSCALL_OPENAT2_X : PPME_SYSCALL_OPENAT_2_X, two ? 8 : 7);
  if (!e) return 0;
  ev_u64(e, ret);                         /* fd */
  ev_u64(e, (__s64)(__s32)regs->di);      /* dirfd */
  ev_user_str(e, (const char *)regs->si); /* name */
  ev_u32(e, flags);                       /* flags */
  ev_u32(e, (__u32)mode);                 /* mode */
  if (two) ev_u32(e, resolve_to_ppm(how[2])); /* resolve */
  ev_u32(e, dev);                         /* dev */
  ev_u64(e, ino);                         /* ino */
  ev_submit(e);
  return 0;
}

#include "proc.h"
#include "net.h"
#include "simple.h"

#define RLIMIT_NOFILE 7
#define PPM_EXE_WRITABLE 1
#define PPM_EXE_UPPER_LAYER 2
#define PPM_EXE_FROM_MEMFD 4
#define PPM_EXE_LOWER_LAYER 8
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
#define CAP_DAC_OVERRIDE 1
#define CAP_FOWNER 3

/* The exe flags Falco's drivers send: writable by the task (its owner, write permission by the
 * mode bits, or a capability that overrides them), and on overlayfs the layer the file comes
 * from (upper: written in the container; lower: the image's). */
static __always_inline __u32 exe_flags(struct task_struct *task, struct file *exe) {
  __u32 flags = 0;
  struct inode *inode = BPF_CORE_READ(exe, f_inode);
  const struct cred *cred = BPF_CORE_READ(task, cred);
  if (inode && cred) {
    __u32 fsuid = BPF_CORE_READ(cred, fsuid.val), fsgid = BPF_CORE_READ(cred, fsgid.val);
    __u16 mode = BPF_CORE_READ(inode, i_mode);
    __u64 caps = BPF_CORE_READ(cred, cap_effective.val);
    int writable = fsuid == BPF_CORE_READ(inode, i_uid.val) ? 1
                 : fsgid == BPF_CORE_READ(inode, i_gid.val) ? (mode & 0020) != 0
                 : (mode & 0002) != 0;
    if (writable || (caps & ((1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FOWNER)))) flags |= PPM_EXE_WRITABLE;
  }
  struct dentry *dentry = BPF_CORE_READ(exe, f_path.dentry);
  if (bpf_core_type_exists(struct ovl_inode) && BPF_CORE_READ(dentry, d_sb, s_magic) == OVERLAYFS_SUPER_MAGIC) {
    /* The overlay inode sits inside its struct ovl_inode, whose upper dentry is set once
     * the file exists in the upper layer. */
    struct inode *vfs = BPF_CORE_READ(dentry, d_inode);
    struct ovl_inode *oi = (struct ovl_inode *)((void *)vfs - bpf_core_field_offset(struct ovl_inode, vfs_inode));
    flags |= BPF_CORE_READ(oi, __upperdentry) ? PPM_EXE_UPPER_LAYER : PPM_EXE_LOWER_LAYER;
  }
  return flags;
}

/* Memory figures in KiB (pages are 4 KiB on x86_64). */
static __always_inline __u32 mm_counter_kb(struct mm_struct *mm, int i) {
  __s64 pages = BPF_CORE_READ(mm, rss_stat[i].count);
  return pages > 0 ? (__u32)(pages << 2) : 0;
}

/* The parameters execve and clone exits share, tid through comm+cgroups (exe/args first). */
static __always_inline void ev_task_ids(struct ev *e, struct task_struct *task) {
  ev_u64(e, BPF_CORE_READ(task, pid));                 /* tid */
  ev_u64(e, BPF_CORE_READ(task, tgid));                /* pid */
  ev_u64(e, BPF_CORE_READ(task, real_parent, tgid));   /* ptid */
  ev_len(e, 0);                                        /* cwd: not sent (Falco's drivers do not either) */
  ev_u64(e, BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_cur)); /* fdlimit */
  ev_u64(e, BPF_CORE_READ(task, maj_flt));             /* pgft_maj */
  ev_u64(e, BPF_CORE_READ(task, min_flt));             /* pgft_min */
  struct mm_struct *mm = BPF_CORE_READ(task, mm);
  __u32 size = 0, rss = 0, swap = 0;
  if (mm) {
    size = (__u32)(BPF_CORE_READ(mm, total_vm) << 2);
    rss = mm_counter_kb(mm, MM_FILEPAGES) + mm_counter_kb(mm, MM_ANONPAGES) + mm_counter_kb(mm, MM_SHMEMPAGES);
    swap = mm_counter_kb(mm, MM_SWAPENTS);
  }
  ev_u32(e, size); /* vm_size */
  ev_u32(e, rss);  /* vm_rss */
  ev_u32(e, swap); /* vm_swap */
  long n = bpf_probe_read_kernel_str(e->buf + (e->off & FALCOC_SCRATCH_MASK), 16, task->comm);
  ev_len(e, n > 0 ? (__u16)n : 0); /* comm */
  ev_cgroups(e, task);             /* cgroups */
}

static __always_inline int exit_execve(struct task_struct *task, struct pt_regs *regs, long ret, int at) {
  struct ev *e = ev_start(at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X, at ? 30 : 31);
  if (!e) return 0;
  ev_u64(e, ret); /* res */
  if (ret == 0) {
    ev_exe_args(e, task); /* exe, args: the new image's */
  } else {
    ev_user_argv(e, (const char *const *)(at ? regs->dx : regs->si));
  }
  ev_task_ids(e, task);
  if (ret == 0) ev_env(e, task); else ev_len(e, 0); /* env */
  ev_u32(e, task_tty(task));                                         /* tty */
  ev_u64(e, ns_pid(task, PIDTYPE_PGID));                             /* vpgid */
  ev_u32(e, BPF_CORE_READ(task, loginuid.val));                      /* loginuid */
  struct file *exe = BPF_CORE_READ(task, mm, exe_file);
  struct dentry *exe_dentry = BPF_CORE_READ(exe, f_path.dentry);
  __u32 flags = exe ? exe_flags(task, exe) : 0;
  char prefix[8] = {};
  bpf_probe_read_kernel(prefix, 6, BPF_CORE_READ(exe_dentry, d_name.name));
  if (prefix[0] == 'm' && prefix[1] == 'e' && prefix[2] == 'm' && prefix[3] == 'f' && prefix[4] == 'd' && prefix[5] == ':') flags |= PPM_EXE_FROM_MEMFD;
  ev_u32(e, flags);                                                  /* flags */
  const struct cred *cred = BPF_CORE_READ(task, cred);
  ev_u64(e, BPF_CORE_READ(cred, cap_inheritable.val));               /* cap_inheritable */
  ev_u64(e, BPF_CORE_READ(cred, cap_permitted.val));                 /* cap_permitted */
  ev_u64(e, BPF_CORE_READ(cred, cap_effective.val));                 /* cap_effective */
  struct inode *inode = BPF_CORE_READ(exe, f_inode);
  ev_u64(e, BPF_CORE_READ(inode, i_ino));                            /* exe_ino */
  ev_u64(e, BPF_CORE_READ(inode, i_ctime_sec) * 1000000000ULL + BPF_CORE_READ(inode, i_ctime_nsec)); /* exe_ino_ctime */
  ev_u64(e, BPF_CORE_READ(inode, i_mtime_sec) * 1000000000ULL + BPF_CORE_READ(inode, i_mtime_nsec)); /* exe_ino_mtime */
  ev_u32(e, BPF_CORE_READ(cred, euid.val));                          /* uid */
  ev_dentry_path(e, exe_dentry, BPF_CORE_READ(exe, f_path.mnt));     /* trusted_exepath */
  ev_u64(e, root_pid(task, PIDTYPE_PGID));                           /* pgid */
  ev_u32(e, BPF_CORE_READ(cred, egid.val));                          /* gid */
  if (!at) ev_user_str(e, (const char *)regs->di);    /* filename */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_clone(struct task_struct *task, struct pt_regs *regs, long ret, int nr) {
  __u16 type = nr == FALCOC_NR_fork ? PPME_SYSCALL_FORK_20_X : nr == FALCOC_NR_vfork ? PPME_SYSCALL_VFORK_20_X
             : nr == FALCOC_NR_clone3 ? PPME_SYSCALL_CLONE3_X : PPME_SYSCALL_CLONE_20_X;
  struct ev *e = ev_start(type, 21);
  if (!e) return 0;
  __u64 kflags = 0;
  if (nr == FALCOC_NR_clone) kflags = regs->di;
  else if (nr == FALCOC_NR_vfork) kflags = 0x4000 | 0x100; /* CLONE_VFORK | CLONE_VM */
  else if (nr == FALCOC_NR_clone3) bpf_probe_read_user(&kflags, 8, (void *)regs->di);
  ev_u64(e, ret);       /* res: the child's tid in the parent, 0 in the child */
  ev_exe_args(e, task); /* exe, args */
  ev_task_ids(e, task);
  ev_u32(e, clone_flags_to_ppm(kflags));              /* flags */
  const struct cred *cred = BPF_CORE_READ(task, cred);
  ev_u32(e, BPF_CORE_READ(cred, euid.val));           /* uid */
  ev_u32(e, BPF_CORE_READ(cred, egid.val));           /* gid */
  ev_u64(e, ns_pid(task, PIDTYPE_PID));               /* vtid */
  ev_u64(e, ns_pid(task, PIDTYPE_TGID));              /* vpid */
  ev_u64(e, 0);                                       /* pidns_init_start_ts */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_close(struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SYSCALL_CLOSE_X, 2);
  if (!e) return 0;
  ev_u64(e, ret);                                   /* res */
  ev_u64(e, (__s64)(__s32)regs->di); /* fd */
  ev_submit(e);
  return 0;
}

/* syscalls/sys_exit_<name> tracepoint record. */
struct sys_exit_args {
  __u64 common;
  __s32 nr;
  __u32 pad;
  __s64 ret;
};

/* Each handler is attached directly to the exit tracepoints of its syscalls: no dispatcher
 * and no tail call (on this kind of machine a tail call costs ~100 ns per event, and a raw
 * sys_exit program ~100 ns per syscall of the machine, captured or not; see the design notes
 * in native/README.md). A handler skips falcoc's own process, then takes the arguments it
 * needs from the saved registers with plain loads into a stack copy: code reading a register
 * or a stack value at one instruction would otherwise mix two pointer kinds, which the
 * verifier refuses. */
#define HANDLER(name) SEC("tp") int name(struct sys_exit_args *ctx)
#define TASK_OR_SKIP                                                              \
  struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();  \
  if (task->tgid == excluded_tgid) return 0;                                    \
  struct pt_regs *task_regs = (struct pt_regs *)bpf_task_pt_regs(task);         \
  struct pt_regs regs_copy;                                                     \
  regs_copy.di = task_regs->di;                                                 \
  regs_copy.si = task_regs->si;                                                 \
  regs_copy.dx = task_regs->dx;                                                 \
  regs_copy.r10 = task_regs->r10;                                               \
  regs_copy.r8 = task_regs->r8;                                                 \
  regs_copy.r9 = task_regs->r9;                                                 \
  struct pt_regs *regs = &regs_copy;                                            \
  long ret = ctx->ret;                                                          \
  int nr = ctx->nr

HANDLER(on_openat) {
  TASK_OR_SKIP;
  return exit_openat(task, regs, ret, nr);
}

HANDLER(on_close) {
  TASK_OR_SKIP;
  return exit_close(regs, ret);
}

HANDLER(on_execve) {
  TASK_OR_SKIP;
  return exit_execve(task, regs, ret, nr == FALCOC_NR_execveat);
}

HANDLER(on_clone) {
  TASK_OR_SKIP;
  return exit_clone(task, regs, ret, nr);
}

HANDLER(on_net) {
  TASK_OR_SKIP;
  switch (nr) {
  case FALCOC_NR_connect: return exit_connect(task, regs, ret);
  case FALCOC_NR_accept: return exit_accept(task, regs, ret, 0);
  case FALCOC_NR_accept4: return exit_accept(task, regs, ret, 1);
  case FALCOC_NR_bind: return exit_bind(regs, ret);
  case FALCOC_NR_sendto: return exit_sendto(task, regs, ret);
  case FALCOC_NR_recvfrom: return exit_recvfrom(task, regs, ret);
  case FALCOC_NR_sendmsg: return exit_sendmsg(task, regs, ret);
  case FALCOC_NR_recvmsg: return exit_recvmsg(task, regs, ret);
  }
  return 0;
}

HANDLER(on_simple) {
  TASK_OR_SKIP;
  return exit_simple(regs, ret, nr);
}

/* The overhead benchmark's floor: a no-op on one syscall's exit tracepoint, attached alone.
 * Every syscall of the machine then takes the kernel's tracing slow path, which any
 * tracepoint-based capture pays (bench/overhead.mjs). */
HANDLER(floor_probe) {
  return 0;
}

/* Run by the reader on each CPU every poll (BPF_PROG_TEST_RUN with a CPU: an interrupt there),
 * never attached. Returns 1 when a handler was mid-event: the stage then waits for the next
 * poll, and the CPU's horizon stays where it was. */
SEC("raw_tp")
int flush_stage(void *ctx) {
  __u32 cpu = bpf_get_smp_processor_id();
  struct ev *e = bpf_map_lookup_elem(&scratch_map, &cpu);
  if (!e) return 2;
  if (READ_ONCE_U32(e->busy)) return 1;
  e->cpu = cpu;
  stage_flush(e, bpf_ktime_get_boot_ns() + boot_time_ns);
  return 0;
}

/* A thread ends (sched/sched_process_exit, in the exiting task). */
SEC("tp/sched/sched_process_exit")
int proc_exit(void *ctx) {
  if ((bpf_get_current_pid_tgid() >> 32) == excluded_tgid) return 0;
  struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
  __s64 status = BPF_CORE_READ(task, exit_code);
  struct ev *e = ev_start(PPME_PROCEXIT_1_E, 5);
  if (!e) return 0;
  ev_u64(e, status);                          /* status */
  ev_u64(e, (status >> 8) & 0xff);            /* ret */
  __u8 sig = status & 0x7f;
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &sig, 1);
  ev_len(e, 1);                               /* sig */
  __u8 core = (status & 0x80) ? 1 : 0;
  __builtin_memcpy(e->buf + (e->off & FALCOC_SCRATCH_MASK), &core, 1);
  ev_len(e, 1);                               /* core */
  ev_u64(e, 0);                               /* reaper_tid */
  ev_submit(e);
  return 0;
}
