/* collectors/kmsg_filter.c (one pass over a line) keeps exactly the kernel
 * log lines that the word-by-word strstr() matcher it replaced kept: both
 * are run over every line of every kernel log in tests/fixtures and
 * tests/corpus (the lab VM's captures, public bug reports, sos dmesg, the
 * corpus cases), over every suffix of each line (so every byte is once a
 * line start and once after each kind of neighbour), over word-boundary
 * cases written here, and over this host's /dev/kmsg when it can be read. */
#include "t.h"
#include "collectors/kmsg_filter.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>

/* The matcher as it was in collectors/kmsg.c before the one-pass version. */
static bool old_interesting(const char *t)
{
	static const char *const words[] = {
		"VF", "vf ", "SR-IOV", "sriov", "bond", "team", "igb", "ixgbe", "i40e", "ice ", "iavf", "mlx5",
		"bnxt", "Spoofed", "spoof", "not trusted", "untrusted", "mailbox", "set_mac_address", "still in reset",
		"Reset indication", "PF returned", "failed opcode", "NIC Link", "Link is", "vfio",
		"transmit queue", "NETDEV WATCHDOG", "promiscuous", "link status definitely",
		"failover master:", "failover primary slave:", "failover standby slave:",
		"Data path ",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t wl = strlen(words[i]);
		for (const char *p = t; (p = strstr(p, words[i])); p++) {
			if (p > t && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
				continue;
			if (!strcmp(words[i], "VF") && (isalpha((unsigned char)p[wl]) || p[wl] == '_') && p[wl] != 's')
				continue;
			return true;
		}
	}
	return false;
}

static long lines, kept, suffixes, differ;

static void one(const char *line)
{
	lines++;
	bool o = old_interesting(line);
	kept += o;
	for (const char *p = line; *p; p++) {
		suffixes++;
		if (old_interesting(p) != kmsg_interesting(p)) {
			if (differ++ < 10)
				fprintf(stderr, "differ (old %d): \"%s\"\n", old_interesting(p), p);
		}
	}
	if (!*line && old_interesting(line) != kmsg_interesting(line))
		differ++;
}

static void each_line(char *b, size_t n)
{
	b[n] = 0;
	for (char *p = b; p < b + n;) {
		char *e = memchr(p, '\n', (size_t)(b + n - p));
		if (e)
			*e = 0;
		one(p);
		if (!e)
			break;
		p = e + 1;
	}
}

static int files;

static int visit(const char *path, const struct stat *st, int type, struct FTW *f)
{
	const char *base = path + f->base;
	if (type != FTW_F || st->st_size <= 0 || st->st_size > (8 << 20))
		return 0;
	size_t bl = strlen(base);
	if (strncmp(base, "dmesg", 5) && strncmp(base, "kmsg", 4) && !strstr(base, "-dmesg") &&
	    !(bl > 4 && !strcmp(base + bl - 4, ".log")))
		return 0;
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	char *b = malloc((size_t)st->st_size + 1);
	size_t n = fread(b, 1, (size_t)st->st_size, fp);
	fclose(fp);
	each_line(b, n);
	free(b);
	files++;
	return 0;
}

static void test_logs_in_tree(void)
{
	lines = kept = suffixes = differ = files = 0;
	CHECK(!nftw("tests/fixtures", visit, 16, FTW_PHYS));
	CHECK(!nftw("tests/corpus", visit, 16, FTW_PHYS));
	printf("kmsg_filter: %d files, %ld lines (%ld kept), %ld suffixes compared\n", files, lines, kept, suffixes);
	CHECK(files >= 40);
	CHECK(lines >= 1000);
	CHECK(kept >= 100 && kept < lines); /* both answers occur */
	CHECK_INT(differ, 0);
}

static void test_boundaries(void)
{
	static const char *const cases[] = {
		"VF", "VFs", "VF_x", "VFa", "VF0", "VF 3", "PVF_x", "xVF", "_VF", "(VF)", "vf", "vf ", "avf ",
		"device ", "ice ", "iceX", "nice ", "Spoofed", "spoof", "xspoof", "bond0", "_bond", "-bond", "team",
		"steam", "igb:", "IGB", "Link is", "NIC Link", "link status definitely", "link status", "Data path ",
		"Data path", "failover master:", "failover master", "i40e", "ixgbe", "mlx5_core", "bnxt_en", "vfio-pci",
		"not trusted", "untrusted", "mailbox", "set_mac_address", "still in reset", "Reset indication",
		"PF returned", "failed opcode", "transmit queue", "NETDEV WATCHDOG", "promiscuous", "SR-IOV", "sriov",
		"\xc3\xa9" "VF", "\xff" "bond", "", " ", "a", "VVF", "VVFs", "V", "F",
	};
	lines = kept = suffixes = differ = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char b[128];
		one(cases[i]);
		snprintf(b, sizeof(b), "x %s y", cases[i]);
		one(b);
		snprintf(b, sizeof(b), "x%s", cases[i]);
		one(b);
	}
	CHECK_INT(differ, 0);
	CHECK(kmsg_interesting("igbvf 0000:01:10.0: VF 2 reset"));
	CHECK(kmsg_interesting("8 VFs enabled"));
	CHECK(!kmsg_interesting("PVF_x device  "));
	CHECK(!kmsg_interesting("VFa"));
	CHECK(!kmsg_interesting(""));
}

static void test_live_kmsg(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		printf("kmsg_filter: /dev/kmsg not readable here, skipped\n");
		return;
	}
	lines = kept = suffixes = differ = 0;
	char rec[8192];
	for (int i = 0; i < 200000; i++) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* overwritten while reading */
		if (n <= 0)
			break;
		rec[n] = 0;
		char *semi = strchr(rec, ';'), *nl = semi ? strchr(semi, '\n') : NULL;
		if (!semi)
			continue;
		if (nl)
			*nl = 0;
		one(semi + 1);
	}
	close(fd);
	printf("kmsg_filter: /dev/kmsg %ld records (%ld kept)\n", lines, kept);
	CHECK_INT(differ, 0);
}

T_MAIN(T(test_logs_in_tree), T(test_boundaries), T(test_live_kmsg))
