/* Prometheus text exposition (format 0.0.4) of the model and findings.
 * Names: vfscope_<thing>_<unit>, base units, _total counters, _info gauges
 * with value 1, HELP and TYPE for each family, bounded label sets
 * (docs/metrics.md lists every family). Pure: no collection, no I/O. */
#ifndef VFS_METRICS_H
#define VFS_METRICS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "model/model.h"
#include "rules/rules.h"

#define METRICS_DEFAULT_PORT 9469
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* One collection step and how it went (vfscope_collector_*). */
struct metrics_step {
	char source[64];   /* host, extras, guest:<spec>, rules, total */
	double seconds;
	bool ok;
};

/* What the eBPF probes (bpf/probes.h) report, when the caller runs them. */
struct metrics_probe { char name[32]; bool up; };
struct metrics_if { char ifname[16]; uint64_t drops, tx_timeouts; };
struct metrics_mbx { char driver[16]; char type[16]; char result[8]; uint64_t n; };

struct metrics_meta {
	const struct metrics_step *steps;
	size_t nsteps;
	uint64_t collections;      /* vfscope_collections_total */
	uint64_t collection_errors;
	double last_collection_s;  /* unix time of the last finished collection */
	const struct metrics_probe *probes; size_t nprobes; /* 0: no probes run */
	const struct metrics_if *ifs; size_t nifs;          /* datapath counters (host) */
	const struct metrics_mbx *mbx; size_t nmbx;         /* cumulative mailbox messages */
};

/* Render every family; m may be NULL (nothing collected yet), f may be
 * NULL (rules did not run). Returns malloc'd text, *len set. */
char *metrics_render(const struct machine *m, const struct findings *f, const struct metrics_meta *meta, size_t *len);
/* vfscope_collection_age_seconds, appended at serve time. */
void metrics_render_age(FILE *out, double age_s);
/* A label value escaped per the exposition format (\\, \", \n). */
void metrics_escape(FILE *out, const char *v);
#endif
