/* lookup/deadline.c: the total deadline of a request — a watchdog thread that
 * shuts down the socket of a connection whose request has not fully arrived
 * in time, however steadily its bytes trickle in (the idle timeout of
 * libmicrohttpd only catches clients that stop). */
#include "lookup/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

/* One connection: its socket and when its current request's clock started
 * (running is 0 while a reply is on its way). */
typedef struct watched {
	struct watched *prev, *next;
	lookup_deadline *owner;
	int fd;
	int running;
	struct timespec start;
} watched;

struct lookup_deadline {
	pthread_mutex_t lock; /* guards the list and stop */
	pthread_cond_t wake;
	pthread_t thread;
	int started, stop;
	unsigned deadline_ms;
	watched head; /* circular list of open connections */
};

static long long ms_since(const struct timespec *t, const struct timespec *now)
{
	return (long long)(now->tv_sec - t->tv_sec) * 1000 + (now->tv_nsec - t->tv_nsec) / 1000000;
}

/* Shuts down the sockets of the connections over their deadline. The socket
 * stays open (libmicrohttpd closes it only after telling us, under the same
 * lock, that the connection is closed), so the descriptor cannot have been
 * reused for another connection. */
static void sweep(lookup_deadline *d)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	for (watched *w = d->head.next; w != &d->head; w = w->next) {
		if (!w->running || ms_since(&w->start, &now) < d->deadline_ms)
			continue;
		w->running = 0;
		sohoa_log_info("lookup: connection dropped: request not in after %u ms",
			       d->deadline_ms);
		shutdown(w->fd, SHUT_RDWR);
	}
}

static void *watchdog(void *arg)
{
	lookup_deadline *d = arg;
	long tick_ms = d->deadline_ms / 4 < 250 ? (long)d->deadline_ms / 4 + 1 : 250;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += tick_ms * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		if (pthread_cond_timedwait(&d->wake, &d->lock, &until) == ETIMEDOUT)
			sweep(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

int lookup_deadline_start(lookup_deadline **out, unsigned deadline_ms)
{
	lookup_deadline *d = calloc(1, sizeof *d);
	pthread_condattr_t attr;

	*out = NULL;
	if (!d)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	d->deadline_ms = deadline_ms;
	d->head.next = d->head.prev = &d->head;
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&d->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&d->thread, NULL, watchdog, d) != 0) {
		lookup_deadline_stop(d);
		return sohoa_error_set(SOHOA_ERROR, _("cannot start the deadline thread"));
	}
	d->started = 1;
	*out = d;
	return 0;
}

void lookup_deadline_stop(lookup_deadline *d)
{
	if (!d)
		return;
	if (d->started) {
		pthread_mutex_lock(&d->lock);
		d->stop = 1;
		pthread_cond_signal(&d->wake);
		pthread_mutex_unlock(&d->lock);
		pthread_join(d->thread, NULL);
	}
	/* The daemon is stopped: every connection was reported closed. */
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

void lookup_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			    enum MHD_ConnectionNotificationCode code)
{
	lookup_deadline *d = cls;
	watched *w = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(w = calloc(1, sizeof *w)))
			return; /* not watched: the idle timeout still applies */
		w->owner = d;
		w->fd = ci->connect_fd;
		w->running = 1;
		clock_gettime(CLOCK_MONOTONIC, &w->start);
		pthread_mutex_lock(&d->lock);
		w->next = &d->head;
		w->prev = d->head.prev;
		d->head.prev->next = w;
		d->head.prev = w;
		pthread_mutex_unlock(&d->lock);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && w) {
		pthread_mutex_lock(&d->lock);
		w->prev->next = w->next;
		w->next->prev = w->prev;
		pthread_mutex_unlock(&d->lock);
		free(w);
		*socket_context = NULL;
	}
}

static void set_clock(lookup_deadline *d, struct MHD_Connection *conn, int running)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	watched *w = ci ? ci->socket_context : NULL;
	if (!d || !w)
		return;
	pthread_mutex_lock(&d->lock);
	w->running = running;
	if (running)
		clock_gettime(CLOCK_MONOTONIC, &w->start);
	pthread_mutex_unlock(&d->lock);
}

void lookup_deadline_request_in(lookup_deadline *d, struct MHD_Connection *conn)
{
	set_clock(d, conn, 0);
}

void lookup_deadline_request_done(lookup_deadline *d, struct MHD_Connection *conn)
{
	set_clock(d, conn, 1);
}
