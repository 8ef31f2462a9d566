/* Control-frame capture (LACP, LLDP, ARP, IPv6 NA; tagged or not) from one
 * or more interfaces into one pcapng file (or a callback), via libpcap. Used by `vfscope
 * capture` and the bundle writer. */
#ifndef VFS_CAPTURE_H
#define VFS_CAPTURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The BPF filter every capture uses. */
extern const char capture_filter[];

#define CAPTURE_SNAPLEN 2048
#define CAPTURE_MAX_IFS 16

/* Capture on ifs[0..nifs) into `out` (pcapng, one interface block per
 * interface named as given, so readers know where each frame was seen)
 * for duration_s seconds (0: until SIGINT/SIGTERM, which also stop a timed
 * capture early). Returns the number of frames written, or -errno with a
 * message in err (then no file is left). */
int capture_run(const char *const *ifs, int nifs, const char *out, int duration_s, char *err, size_t errlen);
/* The same capture into a callback: cb(ctx, i, ifs[i], header, bytes) per
 * frame; cb(ctx, -1, NULL, NULL, NULL) after every poll round. Returns the
 * number of frames, or -errno with a message in err. */
struct pcap_pkthdr;
typedef void (*capture_cb)(void *ctx, int ifidx, const char *ifname, const struct pcap_pkthdr *h, const uint8_t *bytes);
int capture_loop(const char *const *ifs, int nifs, int duration_s, capture_cb cb, void *ctx, char *err, size_t errlen);
/* Interfaces that were not up skip (comma-separated names from the last
 * capture_loop/capture_run; "" if none): they receive nothing, and one
 * down spare VF must not cost the others. Only when none is up is it an
 * error (-ENETDOWN). */
const char *capture_skipped(void);
/* capture_run installs its own SIGINT/SIGTERM handlers while it runs; this
 * says whether one of them fired, so a caller (the bundle) can stop too. */
bool capture_was_signalled(void);
/* The netdevs worth listening on: PFs, VFs, bonds and anything with a
 * master (team members), the first max of them into ifs[]. Returns how
 * many there are (may exceed max). */
struct machine;
int capture_pick_ifs(const struct machine *m, const char **ifs, int max);
/* Listen duration_s seconds on capture_pick_ifs(m) and apply what arrives
 * to m (collectors/frames.h); adds the source "capture". 0 or -errno. */
int capture_into_model(struct machine *m, int duration_s, char *err, size_t errlen);
#endif
