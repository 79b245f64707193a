/* Socket parameters: the SOCKTUPLE of a socket (from its struct sock) and a SOCKADDR from user
 * memory, in the ppm layout runtime/events/socket-params.ts decodes: a family byte (1 unix,
 * 2 inet, 10 inet6), then addresses in network order and ports little-endian (host order).
 * Included by falcoc.bpf.c only. */
#ifndef FALCOC_NET_H
#define FALCOC_NET_H

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10

static __always_inline struct sock *fd_sock(struct task_struct *task, long fd) {
  struct file *f = fd_file(task, fd);
  if (!f) return NULL;
  struct socket *sock = (struct socket *)BPF_CORE_READ(f, private_data);
  return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

static __always_inline void put_u16(__u8 *p, __u16 v) {
  __builtin_memcpy(p, &v, 2);
}

/* family, source address and port, destination address and port; returns the length. */
static __always_inline __u16 put_inet_tuple(__u8 *p, __u8 family, const void *laddr, const void *raddr, __u32 size, __u16 lport, __u16 rport, int local_first) {
  p[0] = family;
  __builtin_memcpy(p + 1, local_first ? laddr : raddr, size);
  put_u16(p + 1 + size, local_first ? lport : rport);
  __builtin_memcpy(p + 3 + size, local_first ? raddr : laddr, size);
  put_u16(p + 3 + 2 * size, local_first ? rport : lport);
  return 5 + 2 * size;
}

/* An inet address from a user sockaddr (a datagram's destination or source): `size` address
 * bytes (4 or 16) and the port in host order; 0 when there is none of that family. */
static __always_inline int user_inet_addr(const void *uaddr, __u16 family, void *addr, __u16 *port) {
  __u8 raw[28] = {};
  if (!uaddr || bpf_probe_read_user(raw, sizeof(raw), uaddr) != 0) return 0;
  if ((raw[0] | (raw[1] << 8)) != family) return 0;
  *port = (raw[2] << 8) | raw[3];
  if (family == AF_INET) __builtin_memcpy(addr, raw + 4, 4);
  else __builtin_memcpy(addr, raw + 8, 16);
  return 1;
}

/* The socket's tuple: `local_first` for connect and sends (source = this end), else the peer
 * first (accept, receives: source = the other end). An unconnected datagram socket has no
 * peer: `uaddr`, a user sockaddr (sendto's destination, recvfrom's source), stands in for it,
 * as Falco's drivers do. */
static __always_inline void ev_tuple_with(struct ev *e, struct sock *sk, int local_first, const void *uaddr) {
  if (!sk) {
    ev_len(e, 0);
    return;
  }
  __u8 *p = e->buf + (e->off & FALCOC_SCRATCH_MASK);
  __u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
  __u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
  __u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
  if (family == AF_INET) {
    __u32 laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr), raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
    if (raddr == 0 && rport == 0 && uaddr) user_inet_addr(uaddr, AF_INET, &raddr, &rport);
    ev_len(e, put_inet_tuple(p, AF_INET, &laddr, &raddr, 4, lport, rport, local_first));
  } else if (family == AF_INET6) {
    struct in6_addr laddr = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr), raddr = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
    if (rport == 0 && uaddr) user_inet_addr(uaddr, AF_INET6, &raddr, &rport);
    ev_len(e, put_inet_tuple(p, AF_INET6, &laddr, &raddr, 16, lport, rport, local_first));
  } else if (family == AF_UNIX) {
    /* Kernel addresses of this end and its peer; the path is left empty. */
    __u64 self = (__u64)sk, peer = (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
    p[0] = AF_UNIX;
    __builtin_memcpy(p + 1, local_first ? &self : &peer, 8);
    __builtin_memcpy(p + 9, local_first ? &peer : &self, 8);
    p[17] = 0;
    ev_len(e, 18);
  } else {
    ev_len(e, 0);
  }
}

static __always_inline void ev_tuple(struct ev *e, struct sock *sk, int local_first) {
  ev_tuple_with(e, sk, local_first, NULL);
}

/* A sockaddr from user memory (connect/bind's argument). */
static __always_inline void ev_user_sockaddr(struct ev *e, const void *uaddr, __u64 ulen) {
  __u8 raw[28] = {};
  if (!uaddr || ulen < 2 || bpf_probe_read_user(raw, ulen < sizeof(raw) ? (ulen & 31) : sizeof(raw), uaddr) != 0) {
    ev_len(e, 0);
    return;
  }
  __u8 *p = e->buf + (e->off & FALCOC_SCRATCH_MASK);
  __u16 family = raw[0] | (raw[1] << 8);
  __u16 port = (raw[2] << 8) | raw[3]; /* network order in the sockaddr */
  if (family == AF_INET) {
    p[0] = AF_INET;
    __builtin_memcpy(p + 1, raw + 4, 4);
    put_u16(p + 5, port);
    ev_len(e, 7);
  } else if (family == AF_INET6) {
    p[0] = AF_INET6;
    __builtin_memcpy(p + 1, raw + 8, 16);
    put_u16(p + 17, port);
    ev_len(e, 19);
  } else if (family == AF_UNIX) {
    p[0] = AF_UNIX;
    long n = bpf_probe_read_user_str(e->buf + ((e->off + 1) & FALCOC_SCRATCH_MASK), 108, (const char *)uaddr + 2);
    ev_len(e, 1 + (n > 0 ? (__u16)n : 0));
  } else {
    ev_len(e, 0);
  }
}

static __always_inline int exit_connect(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_CONNECT_X, 4);
  if (!e) return 0;
  long fd = (__s32)regs->di;
  ev_u64(e, ret);                                  /* res */
  ev_tuple(e, fd_sock(task, fd), 1);               /* tuple */
  ev_u64(e, fd);                                   /* fd */
  ev_user_sockaddr(e, (const void *)regs->si, regs->dx); /* addr */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_accept(struct task_struct *task, struct pt_regs *regs, long ret, int four) {
  struct ev *e = ev_start(four ? PPME_SOCKET_ACCEPT4_6_X : PPME_SOCKET_ACCEPT_5_X, four ? 6 : 5);
  if (!e) return 0;
  ev_u64(e, ret);                                          /* fd */
  ev_tuple(e, ret >= 0 ? fd_sock(task, ret) : NULL, 0);    /* tuple: the client first */
  e->buf[e->off & FALCOC_SCRATCH_MASK] = 0;
  ev_len(e, 1);                                            /* queuepct */
  ev_u32(e, 0);                                            /* queuelen */
  ev_u32(e, 0);                                            /* queuemax */
  if (four) ev_u32(e, (__u32)regs->r10);                   /* flags */
  ev_submit(e);
  return 0;
}

/* Falco's default snaplen: the first bytes of a send or receive buffer. */
#define SNAPLEN 80

static __always_inline void ev_user_data(struct ev *e, const void *buf, __s64 len) {
  __u32 n = len > SNAPLEN ? SNAPLEN : len > 0 ? (__u32)len : 0;
  asm volatile("" : "+r"(n));
  n &= 127;
  if (n > SNAPLEN) n = SNAPLEN;
  if (!buf || n == 0 || bpf_probe_read_user(e->buf + (e->off & FALCOC_SCRATCH_MASK), n, buf) != 0) n = 0;
  ev_len(e, (__u16)n);
}

static __always_inline int exit_sendto(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_SENDTO_X, 5);
  if (!e) return 0;
  long fd = (__s32)regs->di;
  ev_u64(e, ret);                                                   /* res */
  ev_user_data(e, (const void *)regs->si, ret > 0 ? ret : (__s64)regs->dx); /* data */
  ev_u64(e, fd);                                                    /* fd */
  ev_u32(e, (__u32)regs->dx);                                       /* size */
  ev_tuple_with(e, fd_sock(task, fd), 1, (const void *)regs->r8);   /* tuple: to dest_addr if unconnected */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_recvfrom(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_RECVFROM_X, 5);
  if (!e) return 0;
  long fd = (__s32)regs->di;
  ev_u64(e, ret);                                   /* res */
  ev_user_data(e, (const void *)regs->si, ret);     /* data: what was received */
  ev_tuple_with(e, fd_sock(task, fd), 0, ret >= 0 ? (const void *)regs->r8 : NULL); /* tuple: the peer (src_addr) first */
  ev_u64(e, fd);                                    /* fd */
  ev_u32(e, (__u32)regs->dx);                       /* size */
  ev_submit(e);
  return 0;
}

/* The first iovecs of a msghdr: how many are summed for `size`, and copied into `data`. */
#define MAX_IOV 8

/* struct user_msghdr and struct iovec, as x86_64 user space lays them out. */
struct u_msghdr {
  void *name;
  __u32 namelen, pad0;
  struct { void *base; __u64 len; } *iov;
  __u64 iovlen;
  void *control;
  __u64 controllen;
  __u32 flags;
};

/* The first SNAPLEN bytes of `len` across a message's iovecs, and (returned) their total size. */
static __always_inline __u64 ev_iov_data(struct ev *e, const struct u_msghdr *m, __s64 len) {
  __u32 copied = 0;
  __u64 total = 0;
  __u32 want = len > SNAPLEN ? SNAPLEN : len > 0 ? (__u32)len : 0;
  __u32 start = e->off;
  for (int i = 0; i < MAX_IOV; i++) {
    if (i >= m->iovlen) break;
    struct { void *base; __u64 len; } v = {};
    if (bpf_probe_read_user(&v, sizeof(v), &m->iov[i]) != 0) break;
    total += v.len;
    __u32 n = want - copied;
    if (n > v.len) n = v.len;
    asm volatile("" : "+r"(n));
    n &= 127;
    if (n > SNAPLEN) n = SNAPLEN;
    if (n && bpf_probe_read_user(e->buf + ((start + copied) & FALCOC_SCRATCH_MASK), n, v.base) == 0) copied += n;
    if (copied > SNAPLEN) copied = SNAPLEN;
  }
  ev_len(e, (__u16)copied);
  return total;
}

static __always_inline int exit_sendmsg(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_SENDMSG_X, 5);
  if (!e) return 0;
  long fd = (__s32)regs->di;
  struct u_msghdr m = {};
  bpf_probe_read_user(&m, sizeof(m), (void *)regs->si);
  ev_u64(e, ret);                                                 /* res */
  __u64 size = ev_iov_data(e, &m, ret > 0 ? ret : 0x7fffffff);   /* data: what was sent */
  ev_u64(e, fd);                                                  /* fd */
  ev_u32(e, (__u32)size);                                         /* size */
  ev_tuple_with(e, fd_sock(task, fd), 1, m.name);                 /* tuple: to msg_name if unconnected */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_recvmsg(struct task_struct *task, struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_RECVMSG_X, 6);
  if (!e) return 0;
  long fd = (__s32)regs->di;
  struct u_msghdr m = {};
  bpf_probe_read_user(&m, sizeof(m), (void *)regs->si);
  ev_u64(e, ret);                                                 /* res */
  /* size before data in this layout: the data is written after its slot, the size patched in. */
  __u32 size_at = e->off;
  ev_u32(e, 0);                                                   /* size */
  __u64 size = ev_iov_data(e, &m, ret);                           /* data: what was received */
  __builtin_memcpy(e->buf + (size_at & FALCOC_SCRATCH_MASK), &size, 4);
  ev_tuple_with(e, fd_sock(task, fd), 0, ret >= 0 ? m.name : NULL); /* tuple: the peer (msg_name) first */
  ev_len(e, 0);                                                   /* msgcontrol: not copied */
  ev_u64(e, fd);                                                  /* fd */
  ev_submit(e);
  return 0;
}

static __always_inline int exit_bind(struct pt_regs *regs, long ret) {
  struct ev *e = ev_start(PPME_SOCKET_BIND_X, 3);
  if (!e) return 0;
  ev_u64(e, ret);                                        /* res */
  ev_user_sockaddr(e, (const void *)regs->si, regs->dx); /* addr */
  ev_u64(e, (__s64)(__s32)regs->di);                     /* fd */
  ev_submit(e);
  return 0;
}

#endif
