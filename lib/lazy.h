/* Libraries loaded on first use (dlopen) instead of at process start, so a
 * command loads only what it calls: libbpf with libelf (trace, top and
 * metrics with probes), ncursesw with tinfo (top, demo), libpcap (capture,
 * decode), libmicrohttpd (metrics --listen), libarchive (bundle, sos
 * reports) and libcrypt (metrics' basic auth); with their dependencies they
 * cost several ms of every start otherwise (docs/performance.md).
 *
 * lib/lazy_<library>.c defines each function vfscope calls, with the
 * library's own prototype from its header (the compiler checks they match),
 * as a forwarder to the symbol dlsym() finds in the loaded library. Callers
 * are unchanged. When the library cannot be loaded every forwarder returns
 * that function's failure value (NULL, -1, PCAP_ERROR ...), and the first
 * failure says why on stderr, once (errno is then ELIBACC). A new call
 * into one of these libraries needs its forwarder in lib/lazy_<library>.c:
 * without it the link fails (the library is not on the link line). Global data
 * (ncurses' stdscr, LINES, COLS) is reached through lazy_sym() of the
 * variable: lib/lazy_curses.h. */
#ifndef VFS_LAZY_H
#define VFS_LAZY_H
#include <stdbool.h>

struct lazy_lib {
	const char *name;   /* "libpcap" */
	const char *soname; /* "libpcap.so.0.8": the soname the build linked against */
	void *handle;
	bool tried;
	char err[256]; /* why it could not be loaded; "" when loaded */
};

extern struct lazy_lib lazy_bpf, lazy_curses, lazy_pcap, lazy_mhd, lazy_archive, lazy_crypt;

struct crypt_data;
/* libcrypt's crypt_r (lib/lazy_crypt.c says why it has a name of its own). */
char *vfs_crypt_r(const char *phrase, const char *setting, struct crypt_data *data);

/* The symbol NAME of LIB, loading LIB on first call; NULL (and LIB->err
 * set, printed once) when the library or the symbol is missing. */
void *lazy_sym(struct lazy_lib *lib, const char *name);
/* Loads LIB now; true when loaded. */
bool lazy_load(struct lazy_lib *lib);
/* The path the dynamic linker loaded LIB from, or NULL when not loaded. */
const char *lazy_path(const struct lazy_lib *lib);
/* All of them, NULL-terminated (for `vfscope version --all`). */
extern struct lazy_lib *const lazy_libs[];

/* Defines NAME with prototype RET NAME PARAMS forwarding ARGS, or returning
 * FAIL when the library is missing. */
#define LAZY_FN(lib, ret, name, params, args, fail)                                 \
	ret name params                                                             \
	{                                                                           \
		static __typeof__(name) *fp;                                        \
		if (!fp && !(fp = (__typeof__(name) *)lazy_sym(&(lib), #name)))     \
			return fail;                                                \
		return fp args;                                                     \
	}
#define LAZY_VOID(lib, name, params, args)                                          \
	void name params                                                            \
	{                                                                           \
		static __typeof__(name) *fp;                                        \
		if (fp || (fp = (__typeof__(name) *)lazy_sym(&(lib), #name)))       \
			fp args;                                                    \
	}
#endif
