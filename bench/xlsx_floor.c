/* The floor for a job: the least any tool built on libcsv and libxlsxwriter can do to produce what
 * the job produced. It parses the job's input with libcsv (as the job must) and writes, with
 * libxlsxwriter in constant-memory mode, exactly the cells of the job's own workbooks — every sheet,
 * every cell, text as text (with a text format where the job gave one), numbers as numbers, dates
 * with a date format — and the bytes of its other
 * outputs (the JSON return). No normalising, no checking, no counting: that is what the job adds.
 *
 * The job's cells are read from its workbooks (`unzip -p`) into memory before the clock starts (the
 * floor's own memory is that, not measured); the seconds printed are parsing and writing only.
 *   cc -O2 bench/xlsx_floor.c -lcsv -lxlsxwriter -o bench/out/xlsx_floor
 *   bench/out/xlsx_floor INPUT.csv OUT_DIR JOB_OUTPUT...     (.xlsx: its cells; anything else: its bytes)
 * prints: floor SECONDS CELLS */
#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

/* The loaded cells of all workbooks, one stream: per cell a tag byte, then its fields. */
enum { SHEET = 1, TEXT = 2, NUMBER = 3, DATE = 4, BOOK = 5, STYLED_TEXT = 6 };
static char *stream;
static size_t used, cap;
static unsigned long cells;

static void put(const void *p, size_t n) {
    if (used + n > cap) {
        cap = (cap + n) * 2;
        stream = realloc(stream, cap);
        if (!stream) { perror("realloc"); exit(4); }
    }
    memcpy(stream + used, p, n);
    used += n;
}

/* Everything a command prints, read whole. */
static char *slurp(const char *command, size_t *length) {
    FILE *p = popen(command, "r");
    if (!p) return NULL;
    size_t n = 0, c = 1 << 20;
    char *b = malloc(c);
    size_t k;
    while ((k = fread(b + n, 1, c - n - 1, p)) > 0) {
        n += k;
        if (c - n - 1 == 0) { c *= 2; b = realloc(b, c); }
    }
    pclose(p);
    b[n] = 0;
    *length = n;
    return b;
}

/* XML text (entities undone) appended to out. */
static size_t unescape(const char *s, const char *end, char *out) {
    size_t n = 0;
    while (s < end) {
        if (*s == '&') {
            if (!strncmp(s, "&amp;", 5)) { out[n++] = '&'; s += 5; continue; }
            if (!strncmp(s, "&lt;", 4)) { out[n++] = '<'; s += 4; continue; }
            if (!strncmp(s, "&gt;", 4)) { out[n++] = '>'; s += 4; continue; }
            if (!strncmp(s, "&quot;", 6)) { out[n++] = '"'; s += 6; continue; }
            if (!strncmp(s, "&apos;", 6)) { out[n++] = '\''; s += 6; continue; }
        }
        out[n++] = *s++;
    }
    return n;
}

/* Every text inside <t>…</t> between s and end, joined (a shared string may have runs). */
static size_t texts(const char *s, const char *end, char *out) {
    size_t n = 0;
    while ((s = strstr(s, "<t")) && s < end) {
        if (s[2] != '>' && s[2] != ' ') { s += 2; continue; }
        const char *a = strchr(s, '>') + 1, *b = strstr(a, "</t>");
        if (!b || b > end) break;
        n += unescape(a, b, out + n);
        s = b + 4;
    }
    return n;
}

static char **shared;
static size_t sharedCount;

static void loadShared(const char *book) {
    char cmd[4096];
    size_t n;
    snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/sharedStrings.xml 2>/dev/null", book);
    char *x = slurp(cmd, &n);
    sharedCount = 0;
    for (const char *s = x; (s = strstr(s, "<si>")); s += 4) sharedCount++;
    shared = realloc(shared, (sharedCount + 1) * sizeof *shared);
    size_t i = 0;
    for (const char *s = x; (s = strstr(s, "<si>")); i++) {
        const char *e = strstr(s, "</si>");
        shared[i] = malloc(e - s + 1);
        shared[i][texts(s, e, shared[i])] = 0;
        s = e;
    }
    free(x);
}

static void text(uint32_t row, uint16_t col, const char *s, size_t n, int styled) {
    uint8_t tag = styled ? STYLED_TEXT : TEXT;
    uint32_t len = (uint32_t)n;
    put(&tag, 1); put(&row, 4); put(&col, 2); put(&len, 4); put(s, n); put("", 1);
    cells++;
}

static void loadSheet(const char *x) {
    static char buf[1 << 20];
    for (const char *s = x; (s = strstr(s, "<c ")); ) {
        const char *close = strchr(s, '>');
        const char *end = close[-1] == '/' ? close : strstr(close, "</c>");
        /* r="B12" */
        const char *r = strstr(s, " r=\"") + 4;
        uint32_t col = 0, row = 0;
        while (*r >= 'A' && *r <= 'Z') col = col * 26 + (uint32_t)(*r++ - 'A' + 1);
        while (*r >= '0' && *r <= '9') row = row * 10 + (uint32_t)(*r++ - '0');
        col--; row--;
        const char *t = strstr(s, " t=\"");
        /* t="s" (shared), "inlineStr", "str" (a formula's text), "b", "e"; none: a number */
        char type = 'n';
        if (t && t < close) type = !strncmp(t + 4, "s\"", 2) ? 's' : !strncmp(t + 4, "inlineStr\"", 10) ? 'i' : t[4] == 'b' ? 'b' : 'x';
        const char *st = strstr(s, " s=\"");
        int styled = st && st < close;
        uint16_t c16 = (uint16_t)col;
        if (type == 'i') {
            size_t n = texts(close, end, buf);
            text(row, c16, buf, n, styled);
        } else {
            const char *v = strstr(close, "<v>");
            if (v && v < end) {
                const char *ve = strstr(v, "</v>");
                if (type == 's') {
                    long i = strtol(v + 3, NULL, 10);
                    const char *str = (i >= 0 && (size_t)i < sharedCount) ? shared[i] : "";
                    text(row, c16, str, strlen(str), styled);
                } else if (type == 'n' || type == 'b') {
                    uint8_t tag = styled ? DATE : NUMBER;
                    double d = strtod(v + 3, NULL);
                    put(&tag, 1); put(&row, 4); put(&c16, 2); put(&d, 8);
                    cells++;
                } else {
                    size_t n = unescape(v + 3, ve, buf);
                    text(row, c16, buf, n, styled);
                }
            }
        }
        s = end;
    }
}

static void loadBook(const char *book, const char *name) {
    uint8_t tag = BOOK;
    uint32_t len = (uint32_t)strlen(name);
    put(&tag, 1); put(&len, 4); put(name, len + 1);
    loadShared(book);
    for (int k = 1;; k++) {
        char cmd[4096];
        size_t n;
        snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet%d.xml 2>/dev/null", book, k);
        char *x = slurp(cmd, &n);
        if (n == 0) { free(x); break; }
        tag = SHEET;
        put(&tag, 1);
        loadSheet(x);
        free(x);
    }
}

static void on_field(void *s, size_t n, void *d) { (void)s; (void)n; (void)d; }
static void on_row(int c, void *d) { (void)c; (void)d; }

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: xlsx_floor INPUT.csv OUT_DIR JOB_OUTPUT...\n"); return 2; }
    char **bytes = calloc(argc, sizeof *bytes);
    size_t *lengths = calloc(argc, sizeof *lengths);
    for (int i = 3; i < argc; i++) {
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        size_t l = strlen(argv[i]);
        if (l > 5 && !strcmp(argv[i] + l - 5, ".xlsx")) loadBook(argv[i], base);
        else {
            char cmd[4096];
            snprintf(cmd, sizeof cmd, "cat '%s'", argv[i]);
            bytes[i] = slurp(cmd, &lengths[i]);
        }
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 3; }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    struct csv_parser p;
    csv_init(&p, 0);
    static char buf[1 << 20];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) csv_parse(&p, buf, n, on_field, on_row, NULL);
    csv_fini(&p, on_field, on_row, NULL);
    csv_free(&p);
    fclose(f);

    lxw_workbook *wb = NULL;
    lxw_worksheet *sheet = NULL;
    lxw_format *date = NULL, *textFormat = NULL;
    char path[4096];
    for (size_t at = 0; at < used;) {
        uint8_t tag = (uint8_t)stream[at++];
        if (tag == BOOK) {
            uint32_t len;
            memcpy(&len, stream + at, 4); at += 4;
            if (wb) workbook_close(wb);
            snprintf(path, sizeof path, "%s/floor-%s", argv[2], stream + at);
            at += len + 1;
            lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
            wb = workbook_new_opt(path, &o);
            date = workbook_add_format(wb);
            format_set_num_format(date, "yyyy-mm-dd");
            textFormat = workbook_add_format(wb);
            format_set_num_format(textFormat, "@");
        } else if (tag == SHEET) {
            sheet = workbook_add_worksheet(wb, NULL);
        } else {
            uint32_t row; uint16_t col;
            memcpy(&row, stream + at, 4); memcpy(&col, stream + at + 4, 2); at += 6;
            if (tag == TEXT || tag == STYLED_TEXT) {
                uint32_t len;
                memcpy(&len, stream + at, 4); at += 4;
                worksheet_write_string(sheet, row, col, stream + at, tag == STYLED_TEXT ? textFormat : NULL);
                at += len + 1;
            } else {
                double d;
                memcpy(&d, stream + at, 8); at += 8;
                worksheet_write_number(sheet, row, col, d, tag == DATE ? date : NULL);
            }
        }
    }
    if (wb) workbook_close(wb);
    for (int i = 3; i < argc; i++) {
        if (!bytes[i]) continue;
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        snprintf(path, sizeof path, "%s/floor-%s", argv[2], base);
        FILE *o = fopen(path, "wb");
        fwrite(bytes[i], 1, lengths[i], o);
        fclose(o);
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    printf("floor %.2f %lu\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9, cells);
    return 0;
}
