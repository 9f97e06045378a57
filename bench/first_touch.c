/* What fresh memory costs on this machine: MB of anonymous memory touched for the first time, in
 * ordinary 4 KB pages and with madvise(MADV_HUGEPAGE) (2 MB pages), then the same after it has been
 * handed back and mapped again. On a virtual machine the host backs a page at its first touch.
 *   mkdir -p bench/out && cc -O2 bench/first_touch.c -o bench/out/first_touch && bench/out/first_touch 1024
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static double touch(size_t n, int huge) {
    char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); exit(1); }
    if (huge && madvise(p, n, MADV_HUGEPAGE) != 0) { perror("madvise(MADV_HUGEPAGE)"); exit(1); }
    double t = now();
    for (size_t i = 0; i < n; i += 4096) p[i] = 1;
    t = now() - t;
    munmap(p, n);
    return t;
}

int main(int argc, char **argv) {
    size_t mb = argc > 1 ? (size_t)atol(argv[1]) : 1024, n = mb << 20;
    /* Whether 2 MB pages are given at all: "never" here makes the second line 4 KB pages again. */
    char thp[128] = "unknown";
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (f) { if (!fgets(thp, sizeof thp, f)) thp[0] = 0; fclose(f); thp[strcspn(thp, "\n")] = 0; }
    printf("transparent huge pages: %s\n", thp);
    for (int huge = 0; huge <= 1; huge++) {
        double first = touch(n, huge), again = touch(n, huge);
        printf("%s pages: %zu MB first touched in %.3f s (%.0f MB/s), mapped again %.3f s\n",
               huge ? "2 MB" : "4 KB", mb, first, mb / first, again);
    }
    return 0;
}
