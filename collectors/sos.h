/* sos reports (`sos report` / sosreport, as support engineers receive them)
 * as a source of the host's model: `--from sosreport-HOST-DATE.tar.xz` (or
 * .tar.gz, .tar.bz2, .tar) or the directory it unpacks to. Layout and what
 * is read: docs/sos.md. Untrusted input: an archive is unpacked (only the
 * files vfscope reads, bounded in count and size, no path outside the
 * private directory, links resolved inside the report) and removed again. */
#ifndef VFS_SOS_H
#define VFS_SOS_H
#include <stdbool.h>
#include <stddef.h>
#include "model/model.h"

#define SOS_MAX_ENTRIES 200000          /* archive headers walked */
#define SOS_MAX_FILES   50000           /* files and links unpacked */
#define SOS_MAX_FILE    (16u << 20)     /* one unpacked file */
#define SOS_MAX_TOTAL   (256u << 20)    /* all unpacked files */
#define SOS_MAX_WALKED  (4ull << 30)    /* archive bytes decompressed, unpacked or skipped */
#define SOS_MAX_NETNS   256             /* network namespaces listed */

/* A sos report: a directory with sos_commands/ and sos_reports/ or
 * version.txt (itself, or its only subdirectory), or a tar archive holding
 * such a tree. */
bool sos_is_report(const char *path);

/* The host machine as the report shows it; NULL with a reason in err when
 * the path is not a usable sos report. What could not be read is in the
 * machine's sources ("sos" and the readers') and warnings. Sets the reader
 * root (collectors/root.h) to the report. */
struct machine *sos_load(const char *path, char *err, size_t errlen);

/* `devlink port show` text: physical ports name their netdev's PCI
 * function, "flavour pcivf ... vfnum N" ports (switchdev) a VF of the
 * devlink instance's PF, with its MAC from "function: hw_addr". Values
 * known already are kept. Returns the ports understood. */
int sos_devlink_ports_parse(struct machine *m, const char *text, size_t len, int src);

/* `lspci -nnvv` text: the driver bound to each function ("Kernel driver in
 * use: X") for the PFs and VFs m knows by PCI address, where still
 * unknown. Returns drivers set. */
int sos_lspci_drivers_parse(struct machine *m, const char *text, size_t len, int src);
#endif
