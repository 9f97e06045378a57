/* The floor: libcsv alone parsing a file (callbacks that only count), for comparison
 * with taizhang's end-to-end rate.  cc -O2 bench/csv_floor.c -lcsv -o /tmp/csv_floor */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t fields, rows;
static void cb1(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; fields++; }
static void cb2(int c, void *d) { (void)c; (void)d; rows++; }

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 3;
    struct csv_parser p;
    csv_init(&p, 0);
    static char buf[1 << 20];
    size_t n, total = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) { csv_parse(&p, buf, n, cb1, cb2, NULL); total += n; }
    csv_fini(&p, cb1, cb2, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("libcsv alone: %zu rows, %zu fields, %.1f MB in %.2f s = %.0f MB/s\n", rows, fields, total / 1e6, s, total / 1e6 / s);
    return 0;
}
