#include <csv.h>

/* libcsv calls its space function for every character; keeping spaces around unquoted fields
   (instead of trimming them) needs one that says "never a space". Written in C so the call is
   direct rather than through a Swift thunk. */
static inline int taizhang_csv_never_space(unsigned char c) { (void)c; return 0; }
