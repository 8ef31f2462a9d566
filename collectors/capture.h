/* Control-frame capture (LACP, LLDP, ARP, IPv6 NA; tagged or not) from one
 * or more interfaces into one pcap file, via libpcap. Used by `vfscope
 * capture` and the bundle writer. */
#ifndef VFS_CAPTURE_H
#define VFS_CAPTURE_H
#include <stdbool.h>
#include <stddef.h>

/* The BPF filter every capture uses. */
extern const char capture_filter[];

/* Capture on ifs[0..nifs) into `out` for duration_s seconds (0: until
 * SIGINT/SIGTERM, which also stop a timed capture early). Returns the
 * number of frames written, or -errno with a message in err. */
int capture_run(const char *const *ifs, int nifs, const char *out, int duration_s, char *err, size_t errlen);
/* capture_run installs its own SIGINT/SIGTERM handlers while it runs; this
 * says whether one of them fired, so a caller (the bundle) can stop too. */
bool capture_was_signalled(void);
#endif
