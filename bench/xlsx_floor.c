/* The floor for scenario (b): libcsv parsing the ledger and libxlsxwriter writing every cell
 * as text in constant-memory mode — the least any tool built on these libraries can do.
 *   cc -O2 bench/xlsx_floor.c -lcsv -lxlsxwriter -o bench/out/xlsx_floor
 *   bench/out/xlsx_floor LEDGER.csv OUT.xlsx */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

static lxw_worksheet *sheet;
static lxw_row_t row;
static lxw_col_t col;
static char cell[1 << 16];

static void on_field(void *s, size_t n, void *d) {
    (void)d;
    if (n > 0) {
        if (n >= sizeof cell) n = sizeof cell - 1;
        memcpy(cell, s, n);
        cell[n] = 0;
        worksheet_write_string(sheet, row, col, cell, NULL);
    }
    col++;
}
static lxw_workbook *wb;
static unsigned long total_rows;
/* A sheet holds 1,048,576 rows; go on in a new one, as taizhang's writer does. */
static void on_row(int c, void *d) {
    (void)c; (void)d;
    total_rows++;
    col = 0;
    if (++row == LXW_ROW_MAX) { sheet = workbook_add_worksheet(wb, NULL); row = 0; }
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 3;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    wb = workbook_new_opt(argv[2], &o);
    sheet = workbook_add_worksheet(wb, NULL);
    struct csv_parser p;
    csv_init(&p, 0);
    static char buf[1 << 20];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) { csv_parse(&p, buf, n, on_field, on_row, NULL); total += n; }
    csv_fini(&p, on_field, on_row, NULL);
    if (workbook_close(wb) != LXW_NO_ERROR) return 4;
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("floor (libcsv + libxlsxwriter constant memory): %lu rows, %.1f MB in %.2f s\n", total_rows, total / 1e6, s);
    return 0;
}
