/* Process facts read from task_struct for execve/clone exit events: argument and environment
 * areas, paths of the executable (dentries walked up across mounts, as d_path would), cgroup
 * paths per controller, ids in the task's pid namespace, the controlling tty. Included by
 * falcoc.bpf.c only. */
#ifndef FALCOC_PROC_H
#define FALCOC_PROC_H

/* Per-CPU space for assembling paths and copying argument areas. Offsets are masked into
 * the first half; the second half absorbs a masked write's overrun. */
#define TMP_SIZE (16 * 1024)
#define TMP_MASK (TMP_SIZE / 2 - 1)
/* Longest argument or environment area copied (Falco's limit is the same order). */
#define MAX_ARGS_AREA 4096
/* Path components walked before giving up (deeper paths come out cut at the top). */
#define MAX_PATH_COMPONENTS 48

struct tmp {
  __u8 data[TMP_SIZE];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* one entry per possible CPU, set by the loader */
  __type(key, __u32);
  __type(value, struct tmp);
} tmp_map SEC(".maps");

static __always_inline __u8 *tmp_space(void) {
  __u32 cpu = bpf_get_smp_processor_id();
  return bpf_map_lookup_elem(&tmp_map, &cpu);
}

/* Writes "/<name>" just before `*pos` in t (paths are built backwards, ending at TMP_MASK);
 * false when `reserve` more bytes would no longer fit below it. */
static __always_inline int prepend_component(__u8 *t, __u32 *pos, const void *name, __u32 len, __u32 reserve) {
  __u32 p = *pos;
  if (p < len + 1 + reserve) return 0;
  p -= len;
  bpf_probe_read_kernel(t + (p & TMP_MASK), len, name);
  p -= 1;
  t[p & TMP_MASK] = '/';
  *pos = p;
  return 1;
}

/* One step up a path per bpf_loop iteration (the verifier checks a step once, not per
 * iteration): components are written backwards so the path ends at TMP_MASK. */
struct path_walk {
  __u8 *t;
  struct dentry *d;
  struct mount *mnt;
  struct dentry *mnt_root;
  __u32 pos;
};

static long dentry_step(__u32 i, struct path_walk *w) {
  struct dentry *d = w->d;
  struct dentry *parent = BPF_CORE_READ(d, d_parent);
  /* A disconnected dentry (a memfd, an unlinked tmpfile) is its own parent without being the
   * mount's root: its name is all there is ("/memfd:name"). */
  int disconnected = d == parent && d != w->mnt_root;
  if (!disconnected && (d == w->mnt_root || d == parent)) {
    struct mount *mnt = w->mnt; /* a local first: CO-RE relocates kernel types only */
    struct mount *up = BPF_CORE_READ(mnt, mnt_parent);
    if (up == mnt) return 1; /* the root of the root mount */
    w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
    w->mnt = up;
    w->mnt_root = BPF_CORE_READ(up, mnt.mnt_root);
    return 0;
  }
  __u32 len = BPF_CORE_READ(d, d_name.len) & 0xff;
  if (!prepend_component(w->t, &w->pos, BPF_CORE_READ(d, d_name.name), len, 0)) return 1;
  w->d = parent;
  return disconnected;
}

/* Writes the path of (dentry, vfsmount) to t ending at TMP_MASK; returns where it starts. */
static __always_inline __u32 dentry_path(__u8 *t, struct dentry *d, struct vfsmount *vfsmnt) {
  struct path_walk w = {
    .t = t,
    .d = d,
    .mnt = container_of(vfsmnt, struct mount, mnt),
    .mnt_root = BPF_CORE_READ(vfsmnt, mnt_root),
    .pos = TMP_MASK,
  };
  t[TMP_MASK] = 0;
  bpf_loop(MAX_PATH_COMPONENTS, dentry_step, &w, 0);
  if (w.pos == TMP_MASK) {
    w.pos -= 1;
    t[w.pos & TMP_MASK] = '/';
  }
  return w.pos;
}

/* A path parameter from (dentry, vfsmount); empty when the tmp space is unavailable. */
static __always_inline void ev_dentry_path(struct ev *e, struct dentry *d, struct vfsmount *mnt) {
  __u8 *t = tmp_space();
  if (!t || !d) {
    ev_len(e, 0);
    return;
  }
  __u32 pos = dentry_path(t, d, mnt);
  long n = bpf_probe_read_kernel_str(e->buf + (e->off & FALCOC_SCRATCH_MASK), FALCOC_MAX_STR, t + (pos & TMP_MASK));
  ev_len(e, n > 0 ? (__u16)n : 0);
}

struct kn_walk {
  __u8 *t;
  struct kernfs_node *kn;
  __u32 pos;
};

static long kernfs_step(__u32 i, struct kn_walk *w) {
  struct kernfs_node *kn = w->kn;
  if (!kn) return 1;
  struct kernfs_node *parent = BPF_CORE_READ(kn, __parent);
  if (!parent) return 1; /* the hierarchy's root has no name in the path */
  const char *name = BPF_CORE_READ(kn, name);
  long n = bpf_probe_read_kernel_str(w->t, 256, name); /* for its length, at the start of t */
  if (n <= 1) return 1;
  /* The first 256 bytes of t hold that length probe: stay above them. */
  if (!prepend_component(w->t, &w->pos, name, (n - 1) & 0xff, 256)) return 1;
  w->kn = parent;
  return 0;
}

/* The cgroup path of one controller, "<name>=<path>\0", appended to the current parameter. */
static __always_inline __u32 cgroup_entry(struct ev *e, __u8 *t, struct task_struct *task, int id, const char *ctl, __u32 ctl_len, __u32 at) {
  struct cgroup_subsys_state *css = BPF_CORE_READ(task, cgroups, subsys[id]);
  if (!css) return at;
  struct kn_walk w = { .t = t, .kn = BPF_CORE_READ(css, cgroup, kn), .pos = TMP_MASK };
  t[TMP_MASK] = 0;
  bpf_loop(MAX_PATH_COMPONENTS, kernfs_step, &w, 0);
  if (w.pos == TMP_MASK) {
    w.pos -= 1;
    t[w.pos & TMP_MASK] = '/';
  }
  __builtin_memcpy(e->buf + ((e->off + at) & FALCOC_SCRATCH_MASK), ctl, 8);
  at += ctl_len;
  long n = bpf_probe_read_kernel_str(e->buf + ((e->off + at) & FALCOC_SCRATCH_MASK), 1024, t + (w.pos & TMP_MASK));
  return n > 0 ? at + n : at;
}

/* cgroups (BYTEBUF): "cpuset=/…\0cpu=/…\0cpuacct=/…\0io=/…\0memory=/…\0", Falco's controllers. */
static __always_inline void ev_cgroups(struct ev *e, struct task_struct *task) {
  __u8 *t = tmp_space();
  __u32 at = 0;
  if (t) {
    /* 8-byte names padded with NULs; only ctl_len bytes count. */
    if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuset_cgrp_id))
      at = cgroup_entry(e, t, task, bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id), "cpuset=\0", 7, at);
    if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpu_cgrp_id))
      at = cgroup_entry(e, t, task, bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id), "cpu=\0\0\0\0", 4, at);
    if (bpf_core_enum_value_exists(enum cgroup_subsys_id, cpuacct_cgrp_id))
      at = cgroup_entry(e, t, task, bpf_core_enum_value(enum cgroup_subsys_id, cpuacct_cgrp_id), "cpuacct=", 8, at);
    if (bpf_core_enum_value_exists(enum cgroup_subsys_id, io_cgrp_id))
      at = cgroup_entry(e, t, task, bpf_core_enum_value(enum cgroup_subsys_id, io_cgrp_id), "io=\0\0\0\0\0", 3, at);
    if (bpf_core_enum_value_exists(enum cgroup_subsys_id, memory_cgrp_id))
      at = cgroup_entry(e, t, task, bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id), "memory=\0", 7, at);
  }
  ev_len(e, (__u16)(at & 0x1fff));
}

/* Bytes of a user memory area [start, end), at most MAX_ARGS_AREA - 1, masked so the
 * verifier sees the bound (the barrier keeps the compiler from dropping the mask). */
static __always_inline __u32 area_len(unsigned long start, unsigned long end) {
  __u32 len = end > start ? end - start : 0;
  if (len > MAX_ARGS_AREA - 1) len = MAX_ARGS_AREA - 1;
  asm volatile("" : "+r"(len));
  return len & (MAX_ARGS_AREA - 1);
}

/* The task's argument area (mm->arg_start…arg_end): exe = argv[0], args = the rest. */
static __always_inline void ev_exe_args(struct ev *e, struct task_struct *task) {
  __u8 *t = tmp_space();
  struct mm_struct *mm = BPF_CORE_READ(task, mm);
  __u32 len = area_len(BPF_CORE_READ(mm, arg_start), BPF_CORE_READ(mm, arg_end));
  if (!t || !mm || len == 0 || bpf_probe_read_user(t, len, (void *)BPF_CORE_READ(mm, arg_start)) != 0) {
    ev_len(e, 0);
    ev_len(e, 0);
    return;
  }
  long n = bpf_probe_read_kernel_str(e->buf + (e->off & FALCOC_SCRATCH_MASK), MAX_ARGS_AREA, t);
  if (n <= 0) n = 0;
  ev_len(e, (__u16)n);
  __u32 rest = len > n ? len - n : 0;
  asm volatile("" : "+r"(rest));
  rest &= MAX_ARGS_AREA - 1;
  if (rest) bpf_probe_read_kernel(e->buf + (e->off & FALCOC_SCRATCH_MASK), rest, t + (n & (MAX_ARGS_AREA - 1)));
  ev_len(e, (__u16)rest);
}

/* The environment area (mm->env_start…env_end). */
static __always_inline void ev_env(struct ev *e, struct task_struct *task) {
  struct mm_struct *mm = BPF_CORE_READ(task, mm);
  unsigned long start = BPF_CORE_READ(mm, env_start);
  __u32 len = area_len(start, BPF_CORE_READ(mm, env_end));
  if (!mm || len == 0 || bpf_probe_read_user(e->buf + (e->off & FALCOC_SCRATCH_MASK), len, (void *)start) != 0) len = 0;
  ev_len(e, (__u16)len);
}

/* argv from user memory (a failed execve: the image was not replaced). */
#define MAX_ARGV 64
struct argv_walk {
  __u8 *buf;
  __u32 off;
  __u32 at;
  const char *const *argv;
};

static long argv_step(__u32 i, struct argv_walk *w) {
  const char *arg = NULL;
  if (bpf_probe_read_user(&arg, sizeof(arg), &w->argv[i + 1]) != 0 || !arg) return 1;
  if (w->at > MAX_ARGS_AREA) return 1;
  long m = bpf_probe_read_user_str(w->buf + ((w->off + w->at) & FALCOC_SCRATCH_MASK), 1024, arg);
  if (m <= 0) return 1;
  w->at += m;
  return 0;
}

static __always_inline void ev_user_argv(struct ev *e, const char *const *argv) {
  const char *arg = NULL;
  bpf_probe_read_user(&arg, sizeof(arg), &argv[0]);
  long n = arg ? bpf_probe_read_user_str(e->buf + (e->off & FALCOC_SCRATCH_MASK), FALCOC_MAX_STR, arg) : 0;
  ev_len(e, n > 0 ? (__u16)n : 0);
  struct argv_walk w = { .buf = e->buf, .off = e->off, .at = 0, .argv = argv };
  bpf_loop(MAX_ARGV - 1, argv_step, &w, 0);
  ev_len(e, (__u16)w.at);
}

/* The pid of `task` of `type` as its own pid namespace sees it (upid at the task's level). */
static __always_inline __s64 ns_pid(struct task_struct *task, enum pid_type type) {
  struct pid *pid = type == PIDTYPE_PID ? BPF_CORE_READ(task, thread_pid) : BPF_CORE_READ(task, signal, pids[type]);
  if (!pid) return 0;
  unsigned int level = BPF_CORE_READ(pid, level);
  return BPF_CORE_READ(pid, numbers[level & 7].nr);
}

/* The pid in the root namespace. */
static __always_inline __s64 root_pid(struct task_struct *task, enum pid_type type) {
  struct pid *pid = BPF_CORE_READ(task, signal, pids[type]);
  return pid ? BPF_CORE_READ(pid, numbers[0].nr) : 0;
}

/* The controlling tty as a device number (0: none), as Falco encodes it. */
static __always_inline __u32 task_tty(struct task_struct *task) {
  struct tty_struct *tty = BPF_CORE_READ(task, signal, tty);
  if (!tty) return 0;
  int index = BPF_CORE_READ(tty, index);
  int major = BPF_CORE_READ(tty, driver, major);
  int minor = BPF_CORE_READ(tty, driver, minor_start);
  return encode_dev(((__u32)major << 20) | (__u32)(minor + index));
}

/* Kernel CLONE_* flags → the ppm encoding (events.json clone_flags). */
static __always_inline __u32 clone_flags_to_ppm(__u64 f) {
  __u32 r = 0;
  if (f & 0x400) r |= 1;           /* FILES */
  if (f & 0x200) r |= 2;           /* FS */
  if (f & 0x80000000ULL) r |= 4;   /* IO */
  if (f & 0x8000000) r |= 8;       /* NEWIPC */
  if (f & 0x40000000) r |= 16;     /* NEWNET */
  if (f & 0x20000) r |= 32;        /* NEWNS */
  if (f & 0x20000000) r |= 64;     /* NEWPID */
  if (f & 0x4000000) r |= 128;     /* NEWUTS */
  if (f & 0x8000) r |= 256;        /* PARENT */
  if (f & 0x100000) r |= 512;      /* PARENT_SETTID */
  if (f & 0x2000) r |= 1024;       /* PTRACE */
  if (f & 0x800) r |= 2048;        /* SIGHAND */
  if (f & 0x40000) r |= 4096;      /* SYSVSEM */
  if (f & 0x10000) r |= 8192;      /* THREAD */
  if (f & 0x800000) r |= 16384;    /* UNTRACED */
  if (f & 0x100) r |= 32768;       /* VM */
  if (f & 0x10000000) r |= 1048576;   /* NEWUSER */
  if (f & 0x200000) r |= 8388608;     /* CHILD_CLEARTID */
  if (f & 0x1000000) r |= 16777216;   /* CHILD_SETTID */
  if (f & 0x80000) r |= 33554432;     /* SETTLS */
  if (f & 0x4000) r |= 134217728;     /* VFORK */
  if (f & 0x2000000) r |= 268435456;  /* NEWCGROUP */
  return r;
}

#endif
