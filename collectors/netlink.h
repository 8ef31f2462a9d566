/* rtnetlink reader (libmnl): one RTM_GETLINK dump with RTEXT_FILTER_VF,
 * merged into the model: link state, kinds, bond and bond-slave data, and
 * each PF's IFLA_VFINFO_LIST (MAC, VLAN, rates, spoofchk, trust,
 * link-state, stats). */
#ifndef VFS_NETLINK_H
#define VFS_NETLINK_H
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define NL_MAX_DEPTH 4 /* attribute nesting we follow */

/* Dump the links (RTM_GETLINK) and merge them. A dump the kernel marks
 * NLM_F_DUMP_INTR (the link set changed under it) or that overflows the
 * socket is taken again, NL_DUMP_TRIES times in all; then the last one is
 * merged and the "netlink" source says partial. Retries are named in the
 * source's detail. Returns 0 or the last try's negative errno. */
int netlink_collect(struct machine *m);

/* mnl_nlmsg_ok() compares (int)nlmsg_len, so a length of 2 GiB or more
 * passes it and the next step walks off the buffer: compare unsigned.
 * Every netlink message walk in vfscope uses this. */
static inline bool nl_msg_ok(const struct nlmsghdr *h, int left)
{
	return left >= (int)sizeof(*h) && h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= (unsigned)left;
}

#define NL_DUMP_TRIES 4
#define NL_DUMP_MAX_MSGS 65536
#define NL_DUMP_MAX_BYTES (256u << 20)

/* One dump's RTM_NEWLINK messages, copied as they came (each aligned). */
struct nl_dump {
	char *buf;
	size_t len, cap;
	unsigned seq, portid; /* 0: not checked */
	int nmsgs;            /* RTM_NEWLINK messages kept */
	int intr;             /* some message had NLM_F_DUMP_INTR */
	int done;             /* NLMSG_DONE seen */
	int err;              /* negative errno that ended the dump, or 0 */
	int odd;              /* messages of other types, skipped */
	int stale;            /* messages with another sequence number, skipped */
};
void nl_dump_init(struct nl_dump *d, unsigned seq, unsigned portid);
void nl_dump_free(struct nl_dump *d);
/* Feed one datagram (any number of messages). 1: NLMSG_DONE seen, 0: more
 * to come, <0: the dump ended with this error (NLMSG_ERROR's code,
 * -ENOBUFS on overrun, -EBADMSG on a truncated or impossible message,
 * -E2BIG past the limits). */
int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len);
/* Merge a dump into m: names and ifindexes first, then each link. Returns
 * how many messages were malformed; *vf_changed (may be NULL) gets how many
 * PFs' IFLA_NUM_VF disagree with the VFs sysfs listed before (each warned). */
int nl_dump_merge(struct machine *m, const struct nl_dump *d, int *vf_changed);
/* One try on a fresh socket: RTM_GETLINK with VF info, every datagram fed to
 * d (which it initialises) until NLMSG_DONE; messages of any size. 0 or
 * -errno (d says whether the kernel marked it interrupted). */
int nl_dump_links(struct nl_dump *d, unsigned try);
/* Worth another try: interrupted (NLM_F_DUMP_INTR) or a socket overrun. */
bool nl_dump_retryable(int r, const struct nl_dump *d);
/* The retry loop over any source of dumps (tests drive it from buffers):
 * fn fills d for try number `try` (0, 1, ...) and returns 0 or -errno. */
typedef int (*nl_dump_fn)(void *ctx, struct nl_dump *d, unsigned try);
int netlink_collect_with(struct machine *m, nl_dump_fn fn, void *ctx);
/* Parse one RTM_NEWLINK message (header included) and merge it into m.
 * Pure over bytes, for tests and fuzzing. 0, -ENODATA (short) or -EBADMSG. */
int netlink_parse_link(struct machine *m, const void *buf, size_t len);
#endif
