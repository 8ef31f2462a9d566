/* Basic auth and client certificates for the exporter (export/http_auth.h). */
#include "export/http_auth.h"
#include "lib/lazy.h"
#include "lib/util.h"
#include <crypt.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CHECKS_PER_S 4 /* new bcrypt checks a second (and the burst) */

struct user {
	char *name, *hash;
	char *good; /* the last password that matched, or NULL */
};

struct http_auth {
	pthread_mutex_t lock;
	struct user *u;
	size_t n;
	double tokens;
	uint64_t refill_ns;
	uint64_t ok, failed, throttled;
};

struct http_auth *http_auth_new(const struct webconfig *wc)
{
	struct http_auth *a = vfs_xcalloc(1, sizeof(*a));
	pthread_mutex_init(&a->lock, NULL);
	a->n = wc->nusers;
	a->u = vfs_xcalloc(a->n ? a->n : 1, sizeof(*a->u));
	for (size_t i = 0; i < a->n; i++) {
		a->u[i].name = vfs_xstrdup(wc->users[i].name);
		a->u[i].hash = vfs_xstrdup(wc->users[i].hash);
	}
	a->tokens = CHECKS_PER_S;
	a->refill_ns = vfs_now_mono_ns();
	return a;
}

void http_auth_free(struct http_auth *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->u[i].name);
		free(a->u[i].hash);
		if (a->u[i].good)
			explicit_bzero(a->u[i].good, strlen(a->u[i].good));
		free(a->u[i].good);
	}
	free(a->u);
	pthread_mutex_destroy(&a->lock);
	free(a);
}

bool http_auth_wanted(const struct http_auth *a)
{
	return a && a->n;
}

static bool same_secret(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char d = la != lb;
	for (size_t i = 0; i < lb; i++)
		d |= (unsigned char)(a[i % (la ? la : 1)] ^ b[i]);
	return !d;
}

static bool bcrypt_ok(const char *pass, const char *hash)
{
	struct crypt_data *cd = vfs_xcalloc(1, sizeof(*cd));
	const char *h = vfs_crypt_r(pass, hash, cd);
	bool ok = h && h[0] == '$' && same_secret(h, hash);
	explicit_bzero(cd, sizeof(*cd));
	free(cd);
	return ok;
}

bool http_auth_hash_usable(const char *hash)
{
	struct crypt_data *cd = vfs_xcalloc(1, sizeof(*cd));
	const char *h = vfs_crypt_r("vfscope-probe", hash, cd);
	bool ok = h && h[0] == '$' && strlen(h) == strlen(hash) && !strncmp(h, hash, 7);
	free(cd);
	return ok;
}

enum http_auth_verdict http_auth_begin(struct http_auth *a, const char *user, const char *pass)
{
	pthread_mutex_lock(&a->lock);
	struct user *u = NULL;
	if (user && pass)
		for (size_t i = 0; i < a->n; i++)
			if (!strcmp(a->u[i].name, user))
				u = &a->u[i];
	if (!u) {
		a->failed++;
		pthread_mutex_unlock(&a->lock);
		return HTTP_AUTH_REFUSED;
	}
	if (u->good && same_secret(u->good, pass)) {
		a->ok++;
		pthread_mutex_unlock(&a->lock);
		return HTTP_AUTH_OK;
	}
	uint64_t now = vfs_now_mono_ns();
	a->tokens += (double)(now - a->refill_ns) / 1e9 * CHECKS_PER_S;
	if (a->tokens > CHECKS_PER_S)
		a->tokens = CHECKS_PER_S;
	a->refill_ns = now;
	if (a->tokens < 1) {
		a->throttled++;
		pthread_mutex_unlock(&a->lock);
		return HTTP_AUTH_REFUSED;
	}
	a->tokens -= 1;
	pthread_mutex_unlock(&a->lock);
	return HTTP_AUTH_BCRYPT;
}

bool http_auth_finish(struct http_auth *a, const char *user, const char *pass)
{
	pthread_mutex_lock(&a->lock);
	char *hash = NULL;
	for (size_t i = 0; i < a->n; i++)
		if (!strcmp(a->u[i].name, user))
			hash = vfs_xstrdup(a->u[i].hash);
	pthread_mutex_unlock(&a->lock); /* bcrypt outside the lock */
	bool ok = hash && bcrypt_ok(pass, hash);
	free(hash);
	pthread_mutex_lock(&a->lock);
	if (ok) {
		for (size_t i = 0; i < a->n; i++)
			if (!strcmp(a->u[i].name, user)) {
				if (a->u[i].good)
					explicit_bzero(a->u[i].good, strlen(a->u[i].good));
				free(a->u[i].good);
				a->u[i].good = vfs_xstrdup(pass);
			}
		a->ok++;
	} else {
		a->failed++;
	}
	pthread_mutex_unlock(&a->lock);
	return ok;
}

bool http_auth_check(struct http_auth *a, const char *user, const char *pass)
{
	enum http_auth_verdict v = http_auth_begin(a, user, pass);
	return v == HTTP_AUTH_OK || (v == HTTP_AUTH_BCRYPT && http_auth_finish(a, user, pass));
}

/* GnuTLS is loaded already (libmicrohttpd's TLS uses it): its calls are
 * looked up there rather than linked, so commands that never serve TLS do
 * not load it. */
typedef const void *(*get_peers_fn)(void *session, unsigned *n);
typedef int (*verify_fn)(void *session, unsigned *status);

const char *http_auth_client_cert(enum webconfig_client_auth policy, void *session)
{
	if (policy == WC_NO_CLIENT_CERT || policy == WC_REQUEST_CLIENT_CERT)
		return NULL;
	static get_peers_fn get_peers;
	static verify_fn verify;
	if (!get_peers || !verify) {
		void *h = dlopen("libgnutls.so.30", RTLD_NOW | RTLD_NOLOAD);
		if (h) {
			get_peers = (get_peers_fn)dlsym(h, "gnutls_certificate_get_peers");
			verify = (verify_fn)dlsym(h, "gnutls_certificate_verify_peers2");
		}
		if (!get_peers || !verify)
			return "cannot check client certificates (GnuTLS not found)";
	}
	if (!session)
		return "not a TLS connection";
	unsigned n = 0;
	bool given = get_peers(session, &n) && n;
	if (!given)
		return policy == WC_VERIFY_CLIENT_CERT_IF_GIVEN ? NULL : "client certificate required";
	if (policy == WC_REQUIRE_ANY_CLIENT_CERT)
		return NULL;
	unsigned status = 0;
	if (verify(session, &status) || status)
		return "client certificate not signed by client_ca_file (or expired)";
	return NULL;
}

void http_auth_render(struct http_auth *a, FILE *out)
{
	pthread_mutex_lock(&a->lock);
	fprintf(out,
		"# HELP vfscope_http_auth_total Basic-auth checks of requests, by result (throttled: refused "
		"without a bcrypt check, over its budget).\n"
		"# TYPE vfscope_http_auth_total counter\n"
		"vfscope_http_auth_total{result=\"ok\"} %llu\nvfscope_http_auth_total{result=\"failed\"} %llu\n"
		"vfscope_http_auth_total{result=\"throttled\"} %llu\n",
		(unsigned long long)a->ok, (unsigned long long)a->failed, (unsigned long long)a->throttled);
	pthread_mutex_unlock(&a->lock);
}
