/* Who may scrape the exporter: the client certificate policy and the
 * basic-auth users of the web configuration file (export/webconfig.h).
 *
 * bcrypt is slow on purpose (~50 ms at cost 10), and libmicrohttpd's
 * thread would spend it on every request of a client sending wrong
 * passwords. So a password that matched once is remembered (compared in
 * constant time) and answers at once afterwards, and new checks are
 * limited to a few a second: past that a request is refused (401) without
 * one; a scraper whose password was checked before is not affected. */
#ifndef VFS_HTTP_AUTH_H
#define VFS_HTTP_AUTH_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "export/webconfig.h"

struct http_auth;
struct http_auth *http_auth_new(const struct webconfig *wc); /* copies what it needs */
void http_auth_free(struct http_auth *a);
bool http_auth_wanted(const struct http_auth *a); /* any users */
/* user/pass from the request (NULL: none sent). The check in two steps,
 * so a server thread never runs bcrypt: begin answers at once from the
 * remembered password (OK), refuses an unknown user, a missing password or
 * a check over the rate (REFUSED, counted), or says a bcrypt check is due
 * (BCRYPT, its place in the rate taken): then http_auth_finish runs it
 * (~50 ms, on another thread: export/http_auth_worker.h) and counts it. */
enum http_auth_verdict { HTTP_AUTH_REFUSED, HTTP_AUTH_OK, HTTP_AUTH_BCRYPT };
enum http_auth_verdict http_auth_begin(struct http_auth *a, const char *user, const char *pass);
bool http_auth_finish(struct http_auth *a, const char *user, const char *pass);
/* Both steps on the calling thread. */
bool http_auth_check(struct http_auth *a, const char *user, const char *pass);
/* The client certificate of a TLS session (gnutls_session_t) under the
 * policy: NULL when acceptable, else why not. */
const char *http_auth_client_cert(enum webconfig_client_auth policy, void *tls_session);
/* Does libcrypt check this hash (bcrypt in libxcrypt)? */
bool http_auth_hash_usable(const char *hash);
void http_auth_render(struct http_auth *a, FILE *out);
#endif
