/* The kernel log followed live (vfscope top, issue 17): /dev/kmsg kept
 * open without blocking, positioned at its end, so each read returns only
 * records that arrived since. Each new record goes through the collector's
 * own parser (kmsg_parse_records): the caller learns how many of them
 * vfscope would keep, and collects again when any would (a record can make
 * or clear a finding). */
#ifndef VFS_KMSG_FOLLOW_H
#define VFS_KMSG_FOLLOW_H
#include <stddef.h>

struct kmsg_follow;
/* NULL with errno (no /dev/kmsg, dmesg_restrict). */
struct kmsg_follow *kmsg_follow_open(void);
/* Read what arrived without blocking: the number of new records vfscope
 * keeps, KMSG_FOLLOW_LOST (records overwritten before they were read:
 * anything may have been in them), or a negative errno. */
#define KMSG_FOLLOW_LOST 1000000
int kmsg_follow_read(struct kmsg_follow *k);
/* Skip to the end (after a full collection read everything). */
void kmsg_follow_skip(struct kmsg_follow *k);
int kmsg_follow_fd(const struct kmsg_follow *k);
void kmsg_follow_close(struct kmsg_follow *k);
#endif
