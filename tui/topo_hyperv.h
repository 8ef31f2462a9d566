/* Topology lines of a Hyper-V export (tui/topo_hyperv.c), for the
 * topology panel when the model came from --hyperv. */
#ifndef VFS_TUI_TOPO_HYPERV_H
#define VFS_TUI_TOPO_HYPERV_H
#include "tui/tui_int.h"

/* Physical NIC -> switch -> vNIC -> guest team member lines; nothing when
 * m has no Hyper-V view. Lines are not selectable (item -1). */
void topo_hyperv_lines(struct lbuf *b, const struct machine *m);
#endif
