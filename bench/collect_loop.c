/* bench/collect_loop: vfscope's own collection of a sysroot, in one
 * process, ROUNDS times (what bench/floor does for the same tree): the
 * sysfs reader alone and the whole collect_machine() (sysfs, bonding's
 * /proc, PCI config space, pairs, linking the model). Prints milliseconds
 * per round and the model's sizes, so a row can be checked to have seen
 * the whole tree.
 *
 * usage: collect_loop SYSROOT [ROUNDS] [sysfs]   (sysfs: the sysfs reader only) */
#include "collectors/collect.h"
#include "collectors/root.h"
#include "collectors/sysfs.h"
#include "lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: collect_loop SYSROOT [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 1;
	if (rounds < 0)
		rounds = 0;
	if (root_set(argv[1])) {
		perror(argv[1]);
		return 1;
	}
	size_t vfs = 0, netdevs = 0;
	uint64_t t0 = vfs_now_mono_ns();
	for (int r = 0; r < rounds; r++) {
		struct machine *m = machine_new("host");
		sysfs_collect(m);
		vfs = 0;
		for (size_t i = 0; i < m->npfs; i++)
			vfs += m->pfs[i].nvfs;
		netdevs = m->nnetdevs;
		machine_free(m);
	}
	uint64_t t1 = vfs_now_mono_ns();
	if (argc > 3 && !strcmp(argv[3], "sysfs")) {
		printf("sysfs_ms=%.3f vfs=%zu netdevs=%zu\n", (double)(t1 - t0) / 1e6 / (rounds ? rounds : 1), vfs, netdevs);
		return 0;
	}
	struct collect_opts o = { .sysroot = argv[1], .no_kmsg = true, .no_netns = true };
	char err[256];
	for (int r = 0; r < rounds; r++) {
		struct machine *m = collect_machine(&o, err, sizeof(err));
		if (!m) {
			fprintf(stderr, "collect: %s\n", err);
			return 1;
		}
		machine_free(m);
	}
	uint64_t t2 = vfs_now_mono_ns();
	printf("sysfs_ms=%.3f collect_ms=%.3f vfs=%zu netdevs=%zu\n", (double)(t1 - t0) / 1e6 / (rounds ? rounds : 1),
	       (double)(t2 - t1) / 1e6 / (rounds ? rounds : 1), vfs, netdevs);
	return 0;
}
