/* libbpf, loaded on first use (lib/lazy.h): every libbpf call of the probe
 * loader (bpf/probes.c), of the bpftool skeletons it includes (their inline
 * open/load/attach/destroy call bpf_object__*_skeleton) and of --version.
 * Only trace, top and metrics with probes load it; its libelf and zlib come
 * with it. Without the library the constructors return NULL and the rest
 * their error value with errno ELIBACC; bpf/probes.c checks first and marks
 * every probe unavailable with the reason. */
#include "lib/lazy.h"
#include <errno.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

static const char no_bpf[] = "libbpf could not be loaded";
#define L lazy_bpf
#define NOLIB (-ELIBACC)

LAZY_FN(L, const char *, libbpf_version_string, (void), (), no_bpf)
LAZY_FN(L, libbpf_print_fn_t, libbpf_set_print, (libbpf_print_fn_t fn), (fn), NULL)
LAZY_FN(L, int, libbpf_num_possible_cpus, (void), (), NOLIB)

LAZY_FN(L, int, bpf_object__open_skeleton, (struct bpf_object_skeleton *s, const struct bpf_object_open_opts *o),
	(s, o), NOLIB)
LAZY_FN(L, int, bpf_object__load_skeleton, (struct bpf_object_skeleton *s), (s), NOLIB)
LAZY_FN(L, int, bpf_object__attach_skeleton, (struct bpf_object_skeleton *s), (s), NOLIB)
LAZY_VOID(L, bpf_object__detach_skeleton, (struct bpf_object_skeleton *s), (s))
LAZY_VOID(L, bpf_object__destroy_skeleton, (struct bpf_object_skeleton *s), (s))
LAZY_FN(L, struct bpf_program *, bpf_object__find_program_by_name, (const struct bpf_object *o, const char *name),
	(o, name), NULL)
LAZY_FN(L, struct bpf_program *, bpf_object__next_program, (const struct bpf_object *o, struct bpf_program *p),
	(o, p), NULL)
LAZY_FN(L, int, bpf_program__set_autoload, (struct bpf_program *p, bool on), (p, on), NOLIB)
LAZY_FN(L, struct bpf_link *, bpf_program__attach, (const struct bpf_program *p), (p), NULL)
LAZY_FN(L, int, bpf_link__destroy, (struct bpf_link *l), (l), NOLIB)

LAZY_FN(L, int, bpf_map__fd, (const struct bpf_map *m), (m), NOLIB)
LAZY_FN(L, int, bpf_map__set_max_entries, (struct bpf_map *m, __u32 n), (m, n), NOLIB)
LAZY_FN(L, int, bpf_map__update_elem,
	(const struct bpf_map *m, const void *k, size_t ksz, const void *v, size_t vsz, __u64 flags),
	(m, k, ksz, v, vsz, flags), NOLIB)
LAZY_FN(L, int, bpf_map_get_next_key, (int fd, const void *k, void *next), (fd, k, next), NOLIB)
LAZY_FN(L, int, bpf_map_lookup_elem, (int fd, const void *k, void *v), (fd, k, v), NOLIB)

LAZY_FN(L, struct ring_buffer *, ring_buffer__new,
	(int fd, ring_buffer_sample_fn cb, void *ctx, const struct ring_buffer_opts *o), (fd, cb, ctx, o), NULL)
LAZY_FN(L, int, ring_buffer__add, (struct ring_buffer *rb, int fd, ring_buffer_sample_fn cb, void *ctx),
	(rb, fd, cb, ctx), NOLIB)
LAZY_FN(L, int, ring_buffer__poll, (struct ring_buffer *rb, int ms), (rb, ms), NOLIB)
LAZY_FN(L, int, ring_buffer__consume, (struct ring_buffer *rb), (rb), NOLIB)
LAZY_FN(L, int, ring_buffer__epoll_fd, (const struct ring_buffer *rb), (rb), NOLIB)
LAZY_VOID(L, ring_buffer__free, (struct ring_buffer *rb), (rb))

LAZY_FN(L, struct btf *, btf__load_vmlinux_btf, (void), (), NULL)
LAZY_FN(L, struct btf *, btf__parse_split, (const char *path, struct btf *base), (path, base), NULL)
LAZY_VOID(L, btf__free, (struct btf *b), (b))
LAZY_FN(L, __s32, btf__find_by_name_kind, (const struct btf *b, const char *name, __u32 kind), (b, name, kind),
	NOLIB)
LAZY_FN(L, const struct btf_type *, btf__type_by_id, (const struct btf *b, __u32 id), (b, id), NULL)
LAZY_FN(L, const char *, btf__name_by_offset, (const struct btf *b, __u32 off), (b, off), NULL)
