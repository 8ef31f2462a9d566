/* `ethtool -i DEV` text (sos: sos_commands/networking/ethtool_-i_DEV): the
 * netdev's driver and its bus address. Pure parser. */
#ifndef VFS_ETHTOOL_TEXT_H
#define VFS_ETHTOOL_TEXT_H
#include <stddef.h>

struct ethtool_info {
	char driver[64];      /* "driver: igb"; "" unknown */
	char version[64];     /* "version: ..." */
	char firmware[128];   /* "firmware-version: ..." */
	char bus_info[64];    /* "bus-info: 0000:01:00.0" (a PCI address, or another bus's name) */
};

/* Returns the number of "key: value" lines understood (0: none, e.g.
 * "Cannot get driver information: Operation not supported"). */
int ethtool_info_parse(const char *text, size_t len, struct ethtool_info *out);
#endif
