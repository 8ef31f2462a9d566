/* Prometheus families of a Hyper-V host's view and its Windows guests'
 * LBFO members (export/metrics_hyperv.c), appended by metrics_render. */
#ifndef VFS_METRICS_HYPERV_H
#define VFS_METRICS_HYPERV_H
#include <stdio.h>
#include "export/metrics.h"

/* Nothing when m has no Hyper-V view. */
void metrics_hyperv(FILE *f, const struct machine *m);
#endif
