/* bcrypt checks off the HTTP server's thread (export/http_auth.h): the
 * server suspends the connection (libmicrohttpd's suspend/resume), hands
 * the user and password to this one worker thread, and the worker's done
 * callback resumes it. So the one epoll thread that serves every scrape
 * never stalls for ~50 ms of bcrypt while a client floods wrong passwords,
 * and no thread pool is needed (with one, a connection accepted by a
 * thread busy in bcrypt could wait past the connection guard's grace and
 * be shut down to make room). Checks are few (http_auth's rate: 4 a
 * second), the queue is bounded. */
#ifndef VFS_HTTP_AUTH_WORKER_H
#define VFS_HTTP_AUTH_WORKER_H
#include <stdbool.h>
#include "export/http_auth.h"

#define AUTH_WORKER_QUEUE 16

struct auth_worker;
typedef void (*auth_done_fn)(void *cls, bool ok);
/* NULL when the thread cannot start. */
struct auth_worker *auth_worker_new(struct http_auth *a);
/* Queue http_auth_finish(user, pass) (both copied); done(cls, ok) is then
 * called on the worker's thread. false (done not called) when the queue
 * is full or the worker is stopping. */
bool auth_worker_submit(struct auth_worker *w, const char *user, const char *pass, auth_done_fn done, void *cls);
/* Stops the worker: queued checks end with done(cls, false) without
 * bcrypt, then the thread is joined (so nothing stays suspended). */
void auth_worker_free(struct auth_worker *w);
#endif
