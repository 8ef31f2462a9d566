/* ncursesw (and the libtinfo it needs), loaded on first use (lib/lazy.h):
 * the calls of the dashboard (tui/) and of --version, and the three
 * variables it reads (lib/lazy_curses.h). Only top and demo load it. When it
 * cannot be loaded newterm() returns NULL, which tui/screen.c reports. */
#include "lib/lazy.h"
#include "lib/lazy_curses.h"
#include <stdio.h>
#include <wchar.h>

static const char no_curses[] = "ncurses could not be loaded";
#define L lazy_curses

/* dlsym of a variable gives its address; tinfo's (LINES, COLS, stdscr) are
 * found through ncursesw, which depends on it. */
#define LAZY_VAR(type, fn, sym)                                                     \
	type *fn(void)                                                              \
	{                                                                           \
		static type *p;                                                     \
		static type none;                                                   \
		if (!p && !(p = lazy_sym(&L, sym)))                                 \
			return &none;                                               \
		return p;                                                           \
	}
LAZY_VAR(WINDOW *, lazy_curses_stdscr, "stdscr")
LAZY_VAR(int, lazy_curses_lines, "LINES")
LAZY_VAR(int, lazy_curses_cols, "COLS")

LAZY_FN(L, const char *, curses_version, (void), (), no_curses)
LAZY_FN(L, SCREEN *, newterm, (const char *type, FILE *out, FILE *in), (type, out, in), NULL)
LAZY_VOID(L, delscreen, (SCREEN *s), (s))
LAZY_FN(L, int, endwin, (void), (), ERR)
LAZY_FN(L, int, cbreak, (void), (), ERR)
LAZY_FN(L, int, noecho, (void), (), ERR)
LAZY_FN(L, int, nonl, (void), (), ERR)
LAZY_FN(L, int, intrflush, (WINDOW *w, bool on), (w, on), ERR)
LAZY_FN(L, int, keypad, (WINDOW *w, bool on), (w, on), ERR)
LAZY_FN(L, int, curs_set, (int v), (v), ERR)
LAZY_FN(L, int, set_escdelay, (int ms), (ms), ERR)
LAZY_VOID(L, wtimeout, (WINDOW *w, int ms), (w, ms))
LAZY_FN(L, bool, has_colors, (void), (), FALSE)
LAZY_FN(L, int, start_color, (void), (), ERR)
LAZY_FN(L, int, use_default_colors, (void), (), ERR)
LAZY_FN(L, int, init_pair, (NCURSES_PAIRS_T pair, NCURSES_COLOR_T fg, NCURSES_COLOR_T bg), (pair, fg, bg), ERR)
LAZY_FN(L, int, wattrset, (WINDOW *w, int attr), (w, attr), ERR)
LAZY_FN(L, int, waddch, (WINDOW *w, const chtype ch), (w, ch), ERR)
LAZY_FN(L, int, waddnwstr, (WINDOW *w, const wchar_t *s, int n), (w, s, n), ERR)
LAZY_FN(L, int, werase, (WINDOW *w), (w), ERR)
LAZY_FN(L, int, whline, (WINDOW *w, chtype ch, int n), (w, ch, n), ERR)
LAZY_FN(L, int, wgetch, (WINDOW *w), (w), ERR)
LAZY_FN(L, int, wmove, (WINDOW *w, int y, int x), (w, y, x), ERR)
LAZY_FN(L, int, wrefresh, (WINDOW *w), (w), ERR)
