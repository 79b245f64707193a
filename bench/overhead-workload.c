/* The syscall-heavy workload of bench/overhead.mjs: N open+close pairs of one file, then N
 * getppid calls (through syscall(2), so no libc caching), each loop timed on its own.
 * Prints: <open_close_ns_per_pair> <getppid_ns_per_call> */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 1000000;
  const char *path = argc > 2 ? argv[2] : "/etc/hostname";
  double t0 = now();
  for (long i = 0; i < n; i++) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return 1;
    close(fd);
  }
  double t1 = now();
  for (long i = 0; i < n; i++) syscall(SYS_getppid);
  double t2 = now();
  printf("%.1f %.1f\n", (t1 - t0) / n, (t2 - t1) / n);
  return 0;
}
