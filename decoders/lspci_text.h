/* lspci output, as customers and sos reports send it: hex dumps (-x, -xxx,
 * -xxxx) and the -v/-vv/-vvv text (-nn, -D, -k; tab- or space-indented,
 * CRLF, cut with "..."), also both in one file (pciutils' tests/cap-*).
 * Pure: bytes in, devices out. The facts (line formats, what each flag is
 * called, which register it came from) are pciutils' (lib/dump.c,
 * ls-ecaps.c cap_sriov, ls-caps.c cap_express/cap_express_link, lspci.c);
 * every line format lspci has used since SR-IOV decoding began (2008) is
 * read. Bounded: line length, line count, device count. */
#ifndef VFS_LSPCI_TEXT_H
#define VFS_LSPCI_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "model/model.h"

#define LSPCI_MAX_LINE  4096        /* longer lines are read up to here (and counted) */
#define LSPCI_MAX_LINES (4u << 20)  /* the rest of the file is left unread */
#define LSPCI_MAX_DEVS  8192

struct lspci_dev {
	char addr[16];          /* "0000:01:00.0" (lspci leaves out domain 0 unless -D) */
	size_t line;            /* 1-based line of its header */
	bool ids_known;         /* vendor/device from the header ([8086:10c9], -n, "Device 8086:10c9") */
	uint16_t vendor, device;
	char driver[64];        /* "Kernel driver in use:"; "" unknown */
	uint8_t *cfg;           /* hex dump bytes, 0xff where the dump had none; NULL no hex */
	size_t cfg_len;         /* highest byte given + 1 */
	size_t cfg_alloc;
	bool access_denied;     /* "Capabilities: <access denied>": lspci ran unprivileged */
	bool elided;            /* a "..." line: the output was cut by hand */
	bool ext_caps_seen;     /* an extended capability header ([100 v1] and up) */
	bool sriov_text;        /* an SR-IOV capability header in the text */
	bool express_text;      /* an Express capability header in the text */
	struct sriov_cap text;  /* what the text says (from_text); .present with sriov_text */
};

struct lspci_file {
	struct lspci_dev *devs;
	size_t ndevs, cap_devs;
	size_t lines;           /* lines read */
	size_t hex_lines, text_lines; /* of those: config-space hex, indented text */
	size_t sriov_blocks;    /* SR-IOV capability headers in the text */
	size_t nwarn;           /* lines that did not parse as what they looked like */
	char warn[200];         /* the first of them */
	bool truncated;         /* a bound was hit (lines or devices); the rest is unread */
};

/* Parse buf; always fills *out (free with lspci_file_free). Returns 0, or
 * -E2BIG when a bound cut the input (what was read is kept). */
int lspci_parse(const char *buf, size_t len, struct lspci_file *out);
void lspci_file_free(struct lspci_file *f);

/* The SR-IOV capability of one device: from its config bytes when the dump
 * has enough of them, else from the text. 0 found, -ENOENT absent, -ENODATA
 * (config too short and no SR-IOV block in the text). *out is always set
 * (ARI and link where known). */
int lspci_dev_cap(const struct lspci_dev *d, struct sriov_cap *out);
#endif
