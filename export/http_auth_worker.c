/* See http_auth_worker.h. */
#include "export/http_auth_worker.h"
#include "lib/util.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct job {
	char *user, *pass;
	auth_done_fn done;
	void *cls;
};

struct auth_worker {
	struct http_auth *a;
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	struct job q[AUTH_WORKER_QUEUE];
	size_t head, n;
};

static void job_clear(struct job *j)
{
	if (j->pass)
		explicit_bzero(j->pass, strlen(j->pass));
	free(j->pass);
	free(j->user);
	memset(j, 0, sizeof(*j));
}

static void *run(void *arg)
{
	struct auth_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->n && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->n)
			break; /* stopping, nothing left */
		struct job j = w->q[w->head];
		memset(&w->q[w->head], 0, sizeof(j));
		w->head = (w->head + 1) % AUTH_WORKER_QUEUE;
		w->n--;
		bool stopping = w->stop;
		pthread_mutex_unlock(&w->lock);
		bool ok = !stopping && http_auth_finish(w->a, j.user, j.pass);
		j.done(j.cls, ok);
		job_clear(&j);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct auth_worker *auth_worker_new(struct http_auth *a)
{
	struct auth_worker *w = vfs_xcalloc(1, sizeof(*w));
	w->a = a;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (pthread_create(&w->th, NULL, run, w)) {
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

bool auth_worker_submit(struct auth_worker *w, const char *user, const char *pass, auth_done_fn done, void *cls)
{
	if (!w || !user || !pass || !done)
		return false;
	pthread_mutex_lock(&w->lock);
	if (w->stop || w->n == AUTH_WORKER_QUEUE) {
		pthread_mutex_unlock(&w->lock);
		return false;
	}
	struct job *j = &w->q[(w->head + w->n) % AUTH_WORKER_QUEUE];
	j->user = vfs_xstrdup(user);
	j->pass = vfs_xstrdup(pass);
	j->done = done;
	j->cls = cls;
	w->n++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return true;
}

void auth_worker_free(struct auth_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
