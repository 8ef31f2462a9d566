/* ncurses for tui/, loaded on first use (lib/lazy.h, lib/lazy_curses.c).
 * Include this instead of <curses.h>: the functions are forwarders, and the
 * library's global data the tui reads (stdscr, LINES, COLS) is the loaded
 * library's own variable, found with dlsym, behind the same names, so
 * getch(), addch(), attrset() and COLS read as usual. Other data
 * (curscr, acs_map for the ACS_ characters, COLORS ...) would go the same
 * way: an accessor in lib/lazy_curses.c and a #define here. */
#ifndef VFS_LAZY_CURSES_H
#define VFS_LAZY_CURSES_H
#include <curses.h>

/* The variable in the loaded library; without the library a zeroed stand-in
 * (stdscr NULL, LINES and COLS 0: newterm() has failed before anything
 * reads them). */
WINDOW **lazy_curses_stdscr(void);
int *lazy_curses_lines(void);
int *lazy_curses_cols(void);

#undef stdscr
#undef LINES
#undef COLS
#define stdscr (*lazy_curses_stdscr())
#define LINES (*lazy_curses_lines())
#define COLS (*lazy_curses_cols())
#endif
