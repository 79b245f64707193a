/* Syscalls whose exit events are the return value plus arguments as they are: one generic
 * program reads a recipe per syscall (event code, then each parameter's kind and argument).
 * Included by falcoc.bpf.c only. */
#ifndef FALCOC_SIMPLE_H
#define FALCOC_SIMPLE_H

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define PR_GET_CHILD_SUBREAPER 37

enum kind {
  K_RET = 1,     /* the return value, 8 bytes (ERRNO/FD/PID) */
  K_S64 = 2,     /* an int argument sign-extended, 8 bytes (FD/PID) */
  K_U32 = 3,     /* 4 bytes (UINT32/FLAGS32/MODE/UID/GID) */
  K_USTR = 4,    /* a string in user memory */
  K_U64 = 5,     /* 8 bytes */
  K_FCNTL = 6,   /* fcntl command → ppm ENUMFLAGS8, 1 byte */
  K_CLOEXEC = 7, /* O_CLOEXEC → PPM_O_CLOEXEC, 4 bytes */
  K_SOCKFLAGS = 8, /* a socket type's SOCK_CLOEXEC/SOCK_NONBLOCK → ppm file flags, 4 bytes */
  K_PTRACE = 9,  /* ptrace request → ppm ENUMFLAGS16, 2 bytes */
  K_DYN64 = 10,  /* a DYN parameter holding a UINT64: type index 0, then 8 bytes */
  K_U8 = 11,     /* 1 byte */
  K_CLONEFLAGS = 12, /* CLONE_* (unshare, setns) → ppm clone flags, 4 bytes */
  K_UFD0 = 13,   /* the first int of an int[2] the call filled (pipe), as an FD, 8 bytes */
  K_UFD1 = 14,   /* the second one */
  K_EPOLLFLAGS = 15, /* EPOLL_CLOEXEC → PPM_EPOLL_CLOEXEC, 4 bytes */
  K_FDFLAGS16 = 16, /* O_CLOEXEC/O_NONBLOCK-valued flags (eventfd2, signalfd4, inotify_init1) → ppm file flags, 2 bytes */
  K_RLIM_CUR = 17, /* struct rlimit at the argument: rlim_cur as INT64 (-1 when absent); arg | 8: only if the call succeeded */
  K_RLIM_MAX = 18, /* … rlim_max */
  K_CAP = 19,     /* the task's capabilities after the call: arg 0 inheritable, 1 permitted, 2 effective (UINT64) */
  K_USTR_OK = 20, /* a string the call wrote to user memory: empty unless it succeeded */
  K_PRCTL_STR = 21, /* prctl arg2 as a string for PR_SET_NAME/PR_GET_NAME, else empty */
  K_PRCTL_INT = 22, /* prctl arg2 as INT64 (PR_GET_CHILD_SUBREAPER: the int it points to), empty for the name options */
  K_SOCKPAIR = 23,  /* socketpair: arg 0 the first socket's kernel address, 1 its peer's (UINT64) */
};
/* Argument numbers 6 and 7 read as 0 (no syscall has them). */
#define K_ZERO64 K(K_U64, 6)
#define K_ZERO32 K(K_U32, 7)
#define K_PIPEFLAGS(arg) K(K_SOCKFLAGS, (arg) | 8)
#define K(kind, arg) ((kind) << 4 | (arg))
#define MAX_RECIPE_PARAMS 8

struct recipe {
  __u16 event;
  __u8 n;
  __u8 pad;
  __u16 p[MAX_RECIPE_PARAMS];
};

#define R(nr, ev, ...) [nr] = { ev, sizeof((__u16[]){__VA_ARGS__}) / 2, 0, { __VA_ARGS__ } }
static const struct recipe recipes[FALCOC_MAX_SYSCALL] = {
  R(80, 95, K(K_RET, 0), K(K_USTR, 0)),                                                    /* chdir */
  R(81, 97, K(K_RET, 0), K(K_S64, 0)),                                                     /* fchdir */
  R(32, 367, K(K_RET, 0), K(K_S64, 0)),                                                    /* dup */
  R(33, 363, K(K_RET, 0), K(K_S64, 0), K(K_S64, 1)),                                       /* dup2 */
  R(292, 365, K(K_RET, 0), K(K_S64, 0), K(K_S64, 1), K(K_CLOEXEC, 2)),                     /* dup3 */
  R(72, 151, K(K_RET, 0), K(K_S64, 0), K(K_FCNTL, 1), K(K_U64, 2)),                        /* fcntl */
  R(87, 301, K(K_RET, 0), K(K_USTR, 0)),                                                   /* unlink */
  R(263, 303, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_U32, 2)),                        /* unlinkat */
  R(83, 277, K(K_RET, 0), K(K_USTR, 0), K(K_U32, 1)),                                      /* mkdir */
  R(258, 305, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_U32, 2)),                        /* mkdirat */
  R(84, 279, K(K_RET, 0), K(K_USTR, 0)),                                                   /* rmdir */
  R(82, 175, K(K_RET, 0), K(K_USTR, 0), K(K_USTR, 1)),                                     /* rename */
  R(264, 177, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_S64, 2), K(K_USTR, 3)),          /* renameat */
  R(316, 319, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_S64, 2), K(K_USTR, 3), K(K_U32, 4)), /* renameat2 */
  R(88, 179, K(K_RET, 0), K(K_USTR, 0), K(K_USTR, 1)),                                     /* symlink */
  R(266, 181, K(K_RET, 0), K(K_USTR, 0), K(K_S64, 1), K(K_USTR, 2)),                       /* symlinkat */
  R(86, 309, K(K_RET, 0), K(K_USTR, 0), K(K_USTR, 1)),                                     /* link */
  R(265, 311, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_S64, 2), K(K_USTR, 3), K(K_U32, 4)), /* linkat */
  R(90, 315, K(K_RET, 0), K(K_USTR, 0), K(K_U32, 1)),                                      /* chmod */
  R(91, 317, K(K_RET, 0), K(K_S64, 0), K(K_U32, 1)),                                       /* fchmod */
  R(268, 313, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_U32, 2)),                        /* fchmodat */
  R(105, 199, K(K_RET, 0), K(K_U32, 0)),                                                   /* setuid */
  R(106, 201, K(K_RET, 0), K(K_U32, 0)),                                                   /* setgid */
  R(319, 405, K(K_RET, 0), K(K_USTR, 0), K(K_U32, 1)),                                     /* memfd_create */
  R(436, 451, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1), K(K_U32, 2)),                         /* close_range */
  R(41, 19, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1), K(K_U32, 2), K(K_SOCKFLAGS, 1)),         /* socket */
  R(101, 169, K(K_RET, 0), K(K_DYN64, 2), K(K_DYN64, 3), K(K_PTRACE, 0), K(K_S64, 1)),       /* ptrace */
  R(50, 25, K(K_RET, 0), K(K_S64, 0), K(K_U32, 1)),                                        /* listen */
  R(112, 275, K(K_RET, 0)),                                                                 /* setsid */
  R(117, 193, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1), K(K_U32, 2)),                          /* setresuid */
  R(119, 195, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1), K(K_U32, 2)),                          /* setresgid */
  R(113, 427, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1)),                                       /* setreuid */
  R(114, 429, K(K_RET, 0), K(K_U32, 0), K(K_U32, 1)),                                       /* setregid */
  R(161, 267, K(K_RET, 0), K(K_USTR, 0)),                                                   /* chroot */
  R(272, 285, K(K_RET, 0), K(K_CLONEFLAGS, 0)),                                             /* unshare */
  R(308, 241, K(K_RET, 0), K(K_S64, 0), K(K_CLONEFLAGS, 1)),                                /* setns */
  R(213, 375, K(K_RET, 0), K(K_U32, 0)),                                                    /* epoll_create */
  R(291, 377, K(K_RET, 0), K(K_EPOLLFLAGS, 0)),                                             /* epoll_create1 */
  R(283, 137, K(K_RET, 0), K(K_U8, 0), K(K_U8, 1)),                                         /* timerfd_create */
  R(253, 139, K(K_RET, 0), K(K_U8, 0)),                                                     /* inotify_init (flags: 0) */
  R(284, 63, K(K_RET, 0), K(K_U64, 0), K_ZERO32),                                           /* eventfd (no flags) */
  R(434, 409, K(K_RET, 0), K(K_S64, 0), K(K_U32, 1)),                                       /* pidfd_open */
  R(22, 61, K(K_RET, 0), K(K_UFD0, 0), K(K_UFD1, 0), K_ZERO64),                             /* pipe (ino: not read) */
  R(293, 393, K(K_RET, 0), K(K_UFD0, 0), K(K_UFD1, 0), K_ZERO64, K_PIPEFLAGS(1)),           /* pipe2 */
  R(313, 413, K(K_RET, 0), K(K_S64, 0), K(K_USTR, 1), K(K_U32, 2)),                         /* finit_module */
  R(175, 411, K(K_RET, 0), K(0, 0), K(K_U64, 1), K(K_USTR, 2)),                             /* init_module (img: not copied) */
  R(321, 369, K(K_RET, 0), K(K_U32, 0)),                                                    /* bpf */
  R(438, 407, K(K_RET, 0), K(K_S64, 0), K(K_S64, 1), K(K_U32, 2)),                          /* pidfd_getfd */
  R(323, 321, K(K_RET, 0), K(K_SOCKFLAGS, 0)),                                              /* userfaultfd */
  R(290, 397, K(K_RET, 0), K(K_FDFLAGS16, 1), K(K_U64, 0)),                                 /* eventfd2 */
  R(282, 127, K(K_RET, 0), K(K_S64, 0), K_ZERO32, K(K_U8, 6)),                              /* signalfd (mask: not read, as Falco) */
  R(289, 399, K(K_RET, 0), K(K_FDFLAGS16, 3), K(K_S64, 0), K_ZERO32),                       /* signalfd4 */
  R(294, 395, K(K_RET, 0), K(K_FDFLAGS16, 0)),                                              /* inotify_init1 */
  R(160, 143, K(K_RET, 0), K(K_RLIM_CUR, 1), K(K_RLIM_MAX, 1), K(K_U8, 0)),                 /* setrlimit */
  R(302, 145, K(K_RET, 0), K(K_RLIM_CUR, 2), K(K_RLIM_MAX, 2), K(K_RLIM_CUR, 3 | 8), K(K_RLIM_MAX, 3 | 8), K(K_S64, 0), K(K_U8, 1)), /* prlimit64 */
  R(126, 353, K(K_RET, 0), K(K_CAP, 0), K(K_CAP, 1), K(K_CAP, 2)),                          /* capset */
  R(79, 93, K(K_RET, 0), K(K_USTR_OK, 0)),                                                  /* getcwd */
  R(157, 401, K(K_RET, 0), K(K_U32, 0), K(K_PRCTL_STR, 1), K(K_PRCTL_INT, 1)),              /* prctl */
  R(53, 43, K(K_RET, 0), K(K_UFD0, 3), K(K_UFD1, 3), K(K_SOCKPAIR, 0), K(K_SOCKPAIR, 1), K(K_U32, 0), K(K_U32, 1), K(K_U32, 2)), /* socketpair */
};

static __always_inline __u64 syscall_arg(struct pt_regs *regs, int i) {
  switch (i & 7) {
  case 0: return regs->di;
  case 1: return regs->si;
  case 2: return regs->dx;
  case 3: return regs->r10;
  case 4: return regs->r8;
  case 5: return regs->r9;
  default: return 0; /* K_ZERO64, K_ZERO32 */
  }
}

/* Kernel F_* → ppm fcntl command (events.json fcntl_commands); 0: unknown. */
static __always_inline __u8 fcntl_cmd_to_ppm(__u64 cmd) {
  switch (cmd) {
  case 0: return 1;     /* F_DUPFD */
  case 1: return 2;     /* F_GETFD */
  case 2: return 3;     /* F_SETFD */
  case 3: return 4;     /* F_GETFL */
  case 4: return 5;     /* F_SETFL */
  case 5: return 6;     /* F_GETLK */
  case 6: return 8;     /* F_SETLK */
  case 7: return 9;     /* F_SETLKW */
  case 8: return 10;    /* F_SETOWN */
  case 9: return 12;    /* F_GETOWN */
  case 10: return 13;   /* F_SETSIG */
  case 11: return 15;   /* F_GETSIG */
  case 15: return 21;   /* F_SETOWN_EX */
  case 16: return 22;   /* F_GETOWN_EX */
  case 36: return 30;   /* F_OFD_GETLK */
  case 37: return 31;   /* F_OFD_SETLK */
  case 38: return 32;   /* F_OFD_SETLKW */
  case 1024: return 23; /* F_SETLEASE */
  case 1025: return 24; /* F_GETLEASE */
  case 1026: return 27; /* F_NOTIFY */
  case 1029: return 25; /* F_CANCELLK */
  case 1030: return 26; /* F_DUPFD_CLOEXEC */
  case 1031: return 28; /* F_SETPIPE_SZ */
  case 1032: return 29; /* F_GETPIPE_SZ */
  default: return 0;
  }
}

/* Kernel PTRACE_* → ppm ptrace request (events.json ptrace_requests); 0: unknown. */
static __always_inline __u16 ptrace_req_to_ppm(__u64 r) {
  if (r <= 9) return r + 1; /* TRACEME … SINGLESTEP */
  switch (r) {
  case 12: return 26; case 13: return 27; case 14: return 28; case 15: return 29;
  case 16: return 11; /* ATTACH */
  case 17: return 12; /* DETACH */
  case 18: return 30; case 19: return 31; case 21: return 32;
  case 24: return 13; /* SYSCALL */
  case 25: return 33; case 26: return 34; case 30: return 35; case 31: return 36; case 32: return 37; case 33: return 38;
  case 0x4200: return 14; case 0x4201: return 15; case 0x4202: return 16; case 0x4203: return 17;
  case 0x4204: return 18; case 0x4205: return 19;
  case 0x4206: return 20; /* SEIZE */
  case 0x4207: return 21; case 0x4208: return 22; case 0x4209: return 23; case 0x420a: return 24; case 0x420b: return 25;
  default: return 0;
  }
}

static __always_inline void ev_dyn64(struct ev *e, __u64 v) {
  e->buf[e->off & FALCOC_SCRATCH_MASK] = 0;
  __builtin_memcpy(e->buf + ((e->off + 1) & FALCOC_SCRATCH_MASK), &v, 8);
  ev_len(e, 9);
}

static __always_inline void ev_u8(struct ev *e, __u8 v) {
  e->buf[e->off & FALCOC_SCRATCH_MASK] = v;
  ev_len(e, 1);
}

/* One recipe parameter. The loop over a recipe's parameters runs through bpf_loop so the
 * verifier checks this body once, not once per parameter and kind (which multiplied its
 * states close to its limit). */
struct simple_args {
  struct ev *e;
  struct pt_regs *regs;
  long ret;
  __u32 nr;
};

static long simple_param(__u32 i, void *data) {
  struct simple_args *c = data;
  struct ev *e = c->e;
  struct pt_regs *regs = c->regs;
  long ret = c->ret;
  const struct recipe *r = &recipes[c->nr & (FALCOC_MAX_SYSCALL - 1)];
  if (i >= r->n || i >= MAX_RECIPE_PARAMS) return 1;
  /* Masked after a barrier: the compiler would otherwise index with an unbounded copy of i. */
  __u32 idx = i;
  asm volatile("" : "+r"(idx));
  __u16 k = r->p[idx & (MAX_RECIPE_PARAMS - 1)];
  __u64 a = syscall_arg(regs, k & 15);
  switch (k >> 4) {
  case K_RET: ev_u64(e, ret); break;
  case K_S64: ev_u64(e, (__s64)(__s32)a); break;
  case K_U32: ev_u32(e, (__u32)a); break;
  case K_USTR: ev_user_str(e, (const char *)a); break;
  case K_U64: ev_u64(e, a); break;
  case K_FCNTL: ev_u8(e, fcntl_cmd_to_ppm(a)); break;
  case K_CLOEXEC: ev_u32(e, (a & 02000000) ? 4096 : 0); break;
  case K_SOCKFLAGS: /* with bit 3 of the argument number: pipe2's flags, O_DIRECT too */
    ev_u32(e, ((a & 02000000) ? 4096 : 0) | ((a & 04000) ? 64 : 0) | ((k & 8) && (a & 040000) ? 512 : 0));
    break;
  case K_PTRACE: ev_u16(e, ptrace_req_to_ppm(a)); break;
  case K_DYN64: ev_dyn64(e, a); break;
  case K_U8: ev_u8(e, (__u8)a); break;
  case K_CLONEFLAGS: ev_u32(e, clone_flags_to_ppm(a)); break;
  case K_UFD0:
  case K_UFD1: {
    /* int[2] as one little-endian u64 (no stack-array index: the verifier refuses the
     * pointer arithmetic clang makes of it). */
    __u64 pair = ~0ULL;
    if (ret == 0) bpf_probe_read_user(&pair, sizeof(pair), (void *)a);
    ev_u64(e, (__s64)(__s32)((k >> 4) == K_UFD1 ? pair >> 32 : pair));
    break;
  }
  case K_EPOLLFLAGS: ev_u32(e, (a & 02000000) ? 1 : 0); break;
  case K_FDFLAGS16: ev_u16(e, ((a & 02000000) ? 4096 : 0) | ((a & 04000) ? 64 : 0)); break;
  case K_RLIM_CUR:
  case K_RLIM_MAX: {
    __u64 lim[2] = {~0ULL, ~0ULL};
    if (a && (!(k & 8) || ret == 0)) bpf_probe_read_user(lim, sizeof(lim), (void *)a);
    ev_u64(e, (k >> 4) == K_RLIM_CUR ? lim[0] : lim[1]);
    break;
  }
  case K_CAP: {
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    const struct cred *cred = task->cred;
    __u32 which = k & 3;
    ev_u64(e, which == 0 ? BPF_CORE_READ(cred, cap_inheritable.val) : which == 1 ? BPF_CORE_READ(cred, cap_permitted.val) : BPF_CORE_READ(cred, cap_effective.val));
    break;
  }
  case K_USTR_OK:
    if (ret > 0) ev_user_str(e, (const char *)a); else ev_len(e, 0);
    break;
  case K_PRCTL_STR:
    if (regs->di == PR_SET_NAME || regs->di == PR_GET_NAME) ev_user_str(e, (const char *)a); else ev_len(e, 0);
    break;
  case K_PRCTL_INT:
    if (regs->di == PR_SET_NAME || regs->di == PR_GET_NAME) {
      ev_len(e, 0);
    } else {
      __s32 v = (__s32)a;
      if (regs->di == PR_GET_CHILD_SUBREAPER) bpf_probe_read_user(&v, sizeof(v), (void *)a);
      ev_u64(e, (__s64)v);
    }
    break;
  case K_SOCKPAIR: {
    __u64 pair = ~0ULL, out = 0;
    if (ret == 0) bpf_probe_read_user(&pair, sizeof(pair), (void *)regs->r10);
    struct sock *sk = ret == 0 ? fd_sock((struct task_struct *)bpf_get_current_task_btf(), (__s32)pair) : NULL;
    if (sk) out = (k & 1) ? (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer) : (__u64)sk;
    ev_u64(e, out);
    break;
  }
  default: ev_len(e, 0);
  }
  return 0;
}

static __always_inline int exit_simple(struct pt_regs *regs, long ret, __u32 nr) {
  const struct recipe *r = &recipes[nr & (FALCOC_MAX_SYSCALL - 1)];
  if (r->event == 0) return 0;
  struct ev *e = ev_start(r->event, r->n);
  if (!e) return 0;
  struct simple_args args = { .e = e, .regs = regs, .ret = ret, .nr = nr };
  bpf_loop(MAX_RECIPE_PARAMS, simple_param, &args, 0);
  ev_submit(e);
  return 0;
}

#endif
