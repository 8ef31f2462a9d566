/* One pass over the line: at each position where a word may start (the
 * line's start, or after a character that is neither alphanumeric nor '_'),
 * only the words beginning with that byte are compared. It keeps exactly
 * the lines that searching for each word in turn kept (~30 strstr() a
 * record, 8 % of a live snapshot; tests/unit/test_kmsg_filter.c runs both
 * over every kernel log line in the tree). */
#include "collectors/kmsg_filter.h"
#include <ctype.h>
#include <pthread.h>
#include <string.h>

/* A word must start at a word boundary ("PVF_..." and "device " are not
 * "VF" and "ice "); "VF" must also end at one ("VFs" allowed). */
static const char *const words[] = {
	"VF", /* words[0]: the one with an end test */ "vf ", "SR-IOV", "sriov", "bond", "team", "igb", "ixgbe", "i40e", "ice ", "iavf", "mlx5",
	"bnxt", "Spoofed", "spoof", "not trusted", "untrusted", "mailbox", "set_mac_address", "still in reset",
	"Reset indication", "PF returned", "failed opcode", "NIC Link", "Link is", "vfio",
	"transmit queue", "NETDEV WATCHDOG", "promiscuous", "link status definitely",
	"failover master:", "failover primary slave:", "failover standby slave:", /* net_failover (issue 15) */
	"Data path ", /* netvsc "Data path switched to/from VF", "... failed to switch" */
};
#define NWORDS (sizeof(words) / sizeof(words[0]))

/* by first byte: the words starting with it, as a bit set over words[] */
static unsigned long long first[256];
/* ASCII bytes that end a word (neither alphanumeric nor '_'); a byte above
 * 0x7f is asked of isalnum() each time, as the locale may classify it */
static bool ascii_boundary[128];

static void init(void)
{
	for (size_t i = 0; i < NWORDS; i++)
		first[(unsigned char)words[i][0]] |= 1ull << i;
	for (int c = 0; c < 128; c++)
		ascii_boundary[c] = !(isalnum(c) || c == '_');
}

static bool boundary(unsigned char c)
{
	return c < 128 ? ascii_boundary[c] : !isalnum(c);
}

bool kmsg_interesting(const char *t)
{
	_Static_assert(NWORDS <= 64, "one bit a word");
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init);
	for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
		unsigned long long set = first[*p];
		if (!set || (p > (const unsigned char *)t && !boundary(p[-1])))
			continue;
		for (size_t i = 0; set; i++, set >>= 1) {
			if (!(set & 1))
				continue;
			const char *w = words[i];
			size_t k = 1; /* w[0] == *p; stops at the line's NUL too */
			while (w[k] && p[k] == (unsigned char)w[k])
				k++;
			if (w[k])
				continue;
			if (i == 0 && (isalpha(p[2]) || p[2] == '_') && p[2] != 's')
				continue; /* "VF" glued to more letters: not a VF */
			return true;
		}
	}
	return false;
}
