// The event types state keeping needs whatever the rules: a live driver must deliver these (in
// both directions) or process and fd tables go stale. Mirrors the parsers of event-parser.ts.
import { eventCodesOf } from '../events/event-index.ts';

const STATE_EVENT_NAMES = [
  'clone', 'fork', 'vfork', 'clone3', 'execve', 'execveat', 'procexit',
  'open', 'openat', 'openat2', 'creat', 'open_by_handle_at', 'socket', 'socketpair', 'pipe', 'pipe2', 'memfd_create',
  'pidfd_open', 'pidfd_getfd', 'accept', 'accept4', 'bind', 'connect', 'sendto', 'sendmsg', 'recvfrom', 'recvmsg',
  'dup', 'dup2', 'dup3', 'fcntl', 'close', 'close_range',
  'eventfd', 'eventfd2', 'signalfd', 'signalfd4', 'timerfd_create', 'inotify_init', 'inotify_init1', 'epoll_create',
  'epoll_create1', 'bpf', 'userfaultfd', 'io_uring_setup',
  'setuid', 'setreuid', 'setresuid', 'setgid', 'setregid', 'setresgid', 'setsid', 'chdir', 'fchdir', 'getcwd', 'chroot',
  'capset', 'unshare', 'setns', 'prctl', 'prlimit', 'setrlimit',
  'container', 'useradded', 'userdeleted', 'groupadded', 'groupdeleted', 'asyncevent',
];

export function stateEventCodes(): Set<number> {
  return new Set(STATE_EVENT_NAMES.flatMap((n) => eventCodesOf(n)));
}
