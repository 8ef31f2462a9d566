/* vfscope top with --guest agents: a guest that does not answer must not
 * freeze the dashboard for its timeout on every refresh. One thread asks
 * every agent in turn, once per interval; each collection takes the latest
 * view of each guest (a copy) and says how old it is and why a newer one
 * is missing. Guest files (--guest-file) stay in common_collect. */
#define _GNU_SOURCE 1
#include "cli/top.h"
#include "collectors/guest.h"
#include "lib/util.h"
#include "model/json.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct slot {
	const char *spec;
	struct machine *g;  /* last good view, or NULL */
	uint64_t at_ns;     /* when g was read */
	char err[256];      /* why the last ask failed ("" = it did not) */
	bool asked;         /* at least one round finished */
};

static struct {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct slot s[MAX_GUEST_SPECS];
	int n, timeout_ms, interval_ms;
	bool running, stop;
	unsigned rounds;
} P = { .mu = PTHREAD_MUTEX_INITIALIZER };

static void wait_ms_locked(int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)ms * 1000000ull;
	ts.tv_sec += (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	pthread_cond_timedwait(&P.cv, &P.mu, &ts);
}

static void *poller(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&P.mu);
	while (!P.stop) {
		for (int i = 0; i < P.n && !P.stop; i++) {
			const char *spec = P.s[i].spec;
			pthread_mutex_unlock(&P.mu);
			char err[256] = "";
			struct machine *g = guest_load(spec, false, P.timeout_ms, err, sizeof(err));
			pthread_mutex_lock(&P.mu);
			struct slot *s = &P.s[i];
			s->asked = true;
			if (g) {
				machine_free(s->g);
				s->g = g;
				s->at_ns = vfs_now_mono_ns();
				s->err[0] = 0;
			} else {
				vfs_strlcpy(s->err, err, sizeof(s->err));
			}
		}
		P.rounds++;
		pthread_cond_broadcast(&P.cv);
		if (!P.stop)
			wait_ms_locked(P.interval_ms);
	}
	pthread_mutex_unlock(&P.mu);
	return NULL;
}

int top_guests_start(struct common_opts *co, int interval_ms)
{
	if (!co->nguests)
		return 0;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&P.cv, &ca);
	pthread_condattr_destroy(&ca);
	for (int i = 0; i < co->nguests; i++)
		P.s[i].spec = co->guests[i];
	P.n = co->nguests;
	P.timeout_ms = co->guest_timeout_ms;
	P.interval_ms = interval_ms;
	co->nguests = 0; /* common_collect no longer asks them itself */
	if (pthread_create(&P.th, NULL, poller, NULL)) {
		co->nguests = P.n;
		P.n = 0;
		return -1;
	}
	P.running = true;
	/* The first screen waits for the first round (bounded by the timeout). */
	pthread_mutex_lock(&P.mu);
	while (!P.rounds)
		pthread_cond_wait(&P.cv, &P.mu);
	pthread_mutex_unlock(&P.mu);
	return 1;
}

static struct machine *copy_of(const struct machine *g)
{
	json_t *j = machine_to_json(g);
	char err[128];
	struct machine *c = j ? machine_from_json(j, SRC_GUEST, err, sizeof(err)) : NULL;
	json_decref(j);
	if (c)
		machine_link(c);
	return c;
}

void top_guests_add(struct machine *m)
{
	if (!P.running)
		return;
	pthread_mutex_lock(&P.mu);
	uint64_t now = vfs_now_mono_ns();
	for (int i = 0; i < P.n; i++) {
		struct slot *s = &P.s[i];
		char spec[200];
		vfs_sanitize(spec, sizeof(spec), s->spec);
		struct machine *g = s->g ? copy_of(s->g) : NULL;
		if (!g) {
			machine_add_source(m, "guest", SOURCE_FAILED, "%s: %s", spec,
					   s->err[0] ? s->err : "no reply yet");
			continue;
		}
		if (s->err[0]) /* an older view: say so, and why there is no newer one */
			machine_add_source(m, "guest", SOURCE_PARTIAL, "%s: view from %.1f s ago; since then: %s", spec,
					   (double)(now - s->at_ns) / 1e9, s->err);
		machine_add_guest(m, g);
	}
	pthread_mutex_unlock(&P.mu);
}

void top_guests_stop(void)
{
	if (!P.running)
		return;
	pthread_mutex_lock(&P.mu);
	P.stop = true;
	pthread_cond_broadcast(&P.cv);
	pthread_mutex_unlock(&P.mu);
	/* The poller may be waiting for a silent guest: give it a moment, and
	 * otherwise leave it to the process exit rather than hold up 'q'. */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 300000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(P.th, NULL, &ts))
		return;
	for (int i = 0; i < P.n; i++)
		machine_free(P.s[i].g);
	P.running = false;
}
