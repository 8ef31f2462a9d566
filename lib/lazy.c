/* dlopen on first use: see lazy.h. */
#include "lib/lazy.h"
#include "lib/util.h"
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>

/* The Makefile passes the soname of each library it found (objdump -p of
 * the .so that -lNAME would have linked); these are Debian 12's. */
#ifndef LAZY_SONAME_PCAP
#define LAZY_SONAME_PCAP "libpcap.so.0.8"
#endif
#ifndef LAZY_SONAME_MHD
#define LAZY_SONAME_MHD "libmicrohttpd.so.12"
#endif
#ifndef LAZY_SONAME_ARCHIVE
#define LAZY_SONAME_ARCHIVE "libarchive.so.13"
#endif
#ifndef LAZY_SONAME_BPF
#define LAZY_SONAME_BPF "libbpf.so.1"
#endif
#ifndef LAZY_SONAME_CURSES
#define LAZY_SONAME_CURSES "libncursesw.so.6"
#endif
#ifndef LAZY_SONAME_CRYPT
#define LAZY_SONAME_CRYPT "libcrypt.so.1"
#endif

/* An empty soname (the build found no .so) would make dlopen("") return
 * the program itself: fall back to Debian 12's. */
#define SONAME_OR(s, d) (sizeof(s) > 1 ? (s) : (d))
struct lazy_lib lazy_pcap = { .name = "libpcap", .soname = SONAME_OR(LAZY_SONAME_PCAP, "libpcap.so.0.8") };
struct lazy_lib lazy_mhd = { .name = "libmicrohttpd", .soname = SONAME_OR(LAZY_SONAME_MHD, "libmicrohttpd.so.12") };
struct lazy_lib lazy_archive = { .name = "libarchive", .soname = SONAME_OR(LAZY_SONAME_ARCHIVE, "libarchive.so.13") };
struct lazy_lib lazy_bpf = { .name = "libbpf", .soname = SONAME_OR(LAZY_SONAME_BPF, "libbpf.so.1") };
struct lazy_lib lazy_curses = { .name = "libncursesw", .soname = SONAME_OR(LAZY_SONAME_CURSES, "libncursesw.so.6") };
struct lazy_lib lazy_crypt = { .name = "libcrypt", .soname = SONAME_OR(LAZY_SONAME_CRYPT, "libcrypt.so.1") };
struct lazy_lib *const lazy_libs[] = { &lazy_bpf, &lazy_curses, &lazy_pcap, &lazy_mhd, &lazy_archive, &lazy_crypt, NULL };

/* One load at a time: libcrypt's first call may come from a server thread. */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static bool load_locked(struct lazy_lib *lib)
{
	if (lib->tried)
		return lib->handle != NULL;
	lib->tried = true;
	/* RTLD_NOW: a missing symbol fails here, not in the middle of a call. */
	lib->handle = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!lib->handle) {
		const char *e = dlerror();
		snprintf(lib->err, sizeof(lib->err), "%s", e ? e : "dlopen failed");
		fprintf(stderr, "vfscope: %s is needed for this and could not be loaded: %s\n", lib->name, lib->err);
		errno = ELIBACC;
		return false;
	}
	return true;
}

bool lazy_load(struct lazy_lib *lib)
{
	pthread_mutex_lock(&load_lock);
	bool ok = load_locked(lib);
	pthread_mutex_unlock(&load_lock);
	return ok;
}

void *lazy_sym(struct lazy_lib *lib, const char *name)
{
	if (!lazy_load(lib))
		return NULL;
	void *p = dlsym(lib->handle, name);
	if (!p) {
		const char *e = dlerror();
		snprintf(lib->err, sizeof(lib->err), "%s", e ? e : name);
		fprintf(stderr, "vfscope: %s has no %s: %s\n", lib->soname, name, lib->err);
		errno = ELIBACC;
	}
	return p;
}

const char *lazy_path(const struct lazy_lib *lib)
{
	struct link_map *lm = NULL;
	if (!lib->handle || dlinfo(lib->handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm)
		return NULL;
	return lm->l_name;
}
