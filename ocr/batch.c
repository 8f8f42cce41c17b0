/* ocr/batch.c: a pool of worker threads, each with its own Tesseract engine,
 * recognising the pages of many files in parallel and handing each file's
 * results back in input order on the caller's thread. */
#include "ocr/ocr_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_PER_WORKER 4 /* pages a worker may run ahead of the sink */

typedef struct {
	size_t input, page;
} job;

typedef struct {
	const char *const *paths;
	const sohoa_ocr_options *opt;
	job *jobs;
	sohoa_ocr_result *results; /* one per job */
	char *done;                /* one per job */
	size_t njobs, next, window_end, finished;
	int stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} pool;

static char *dup_error(void)
{
	const char *m = sohoa_error_last();
	return strdup(*m ? m : sohoa_error_describe(sohoa_error_last_code()));
}

static void *worker(void *arg)
{
	pool *pl = arg;
	sohoa_ocr_engine *engine = NULL;
	int init_rc = sohoa_ocr_engine_new(&engine, pl->opt);
	char *init_msg = init_rc < 0 ? dup_error() : NULL;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->stop && pl->next < pl->njobs && pl->next >= pl->window_end)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->stop || pl->next >= pl->njobs)
			break;
		size_t j = pl->next++;
		if (pl->done[j])
			continue; /* settled when planning (unreadable file) */
		pthread_mutex_unlock(&pl->mu);

		sohoa_ocr_result r = {0};
		if (init_rc < 0) {
			r.error = init_rc;
			r.message = init_msg ? strdup(init_msg) : NULL;
		} else {
			r.error = sohoa_ocr_recognize(&r.page, engine, pl->paths[pl->jobs[j].input],
						      pl->jobs[j].page);
			if (r.error < 0)
				r.message = dup_error();
		}
		pthread_mutex_lock(&pl->mu);
		pl->results[j] = r;
		pl->done[j] = 1;
		pl->finished++;
		pthread_cond_broadcast(&pl->cv);
	}
	pthread_mutex_unlock(&pl->mu);
	sohoa_ocr_engine_free(engine);
	free(init_msg);
	return NULL;
}

/* Lists every (input, page) pair; inputs whose header fails get one job
 * whose result is already the error. */
static int plan(pool *pl, size_t count)
{
	size_t cap = count + 16;
	pl->jobs = malloc(cap * sizeof *pl->jobs);
	pl->results = calloc(cap, sizeof *pl->results);
	pl->done = calloc(cap, 1);
	if (!pl->jobs || !pl->results || !pl->done)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < count; i++) {
		sohoa_ocr_image_info info;
		int rc = sohoa_ocr_probe(&info, pl->paths[i], &pl->opt->limits);
		size_t pages = rc < 0 ? 1 : info.pages;
		if (pl->njobs + pages > cap) {
			size_t ncap = (pl->njobs + pages) * 2;
			job *nj = realloc(pl->jobs, ncap * sizeof *nj);
			sohoa_ocr_result *nr = nj ? realloc(pl->results, ncap * sizeof *nr) : NULL;
			char *nd = nr ? realloc(pl->done, ncap) : NULL;
			if (nj)
				pl->jobs = nj;
			if (nr)
				pl->results = nr;
			if (nd)
				pl->done = nd;
			if (!nj || !nr || !nd)
				return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			memset(pl->results + cap, 0, (ncap - cap) * sizeof *nr);
			memset(pl->done + cap, 0, ncap - cap);
			cap = ncap;
		}
		for (size_t p = 0; p < pages; p++) {
			size_t j = pl->njobs++;
			pl->jobs[j] = (job){i, p};
			if (rc < 0) {
				pl->results[j].error = rc;
				pl->results[j].message = dup_error();
				pl->done[j] = 1; /* settled before any worker */
				pl->finished++;
			}
		}
	}
	return 0;
}

int sohoa_ocr_batch(const char *const *paths, size_t count, const sohoa_ocr_options *opt, int jobs,
		    sohoa_ocr_sink sink, void *ctx,
		    void (*progress)(void *ctx, size_t done, size_t total))
{
	pool pl = {.paths = paths, .opt = opt};
	pthread_t *threads = NULL;
	int started = 0, rc;
	size_t emitted = 0, reported = 0;

	if (jobs < 1)
		jobs = 1;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.cv, NULL);
	rc = plan(&pl, count);
	if (rc < 0)
		goto cleanup;
	threads = calloc((size_t)jobs, sizeof *threads);
	if (!threads) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	pthread_mutex_lock(&pl.mu);
	pl.window_end = (size_t)jobs * AHEAD_PER_WORKER;
	pthread_mutex_unlock(&pl.mu);
	for (int i = 0; i < jobs; i++)
		if (pthread_create(&threads[started], NULL, worker, &pl) == 0)
			started++;
	if (started == 0) {
		rc = sohoa_error_set(SOHOA_EDEPENDENCY, _("cannot start worker threads"));
		goto cleanup;
	}
	/* Emit inputs in order as soon as all their pages are done. */
	while (emitted < pl.njobs) {
		size_t first = emitted, end = first;
		pthread_mutex_lock(&pl.mu);
		while (end < pl.njobs && pl.jobs[end].input == pl.jobs[first].input)
			end++;
		for (;;) {
			size_t k = first;
			while (k < end && pl.done[k])
				k++;
			if (progress && pl.finished != reported) {
				reported = pl.finished;
				pthread_mutex_unlock(&pl.mu);
				progress(ctx, reported, pl.njobs);
				pthread_mutex_lock(&pl.mu);
				continue;
			}
			if (k == end)
				break;
			pthread_cond_wait(&pl.cv, &pl.mu);
		}
		pthread_mutex_unlock(&pl.mu);
		rc = sink(ctx, pl.jobs[first].input, paths[pl.jobs[first].input],
			  pl.results + first, end - first);
		for (size_t k = first; k < end; k++) {
			sohoa_ocr_page_free(pl.results[k].page);
			free(pl.results[k].message);
			pl.results[k] = (sohoa_ocr_result){0};
		}
		emitted = end;
		pthread_mutex_lock(&pl.mu);
		pl.window_end = emitted + (size_t)jobs * AHEAD_PER_WORKER;
		if (rc < 0)
			pl.stop = 1;
		pthread_cond_broadcast(&pl.cv);
		pthread_mutex_unlock(&pl.mu);
		if (rc < 0)
			break;
	}
cleanup:
	pthread_mutex_lock(&pl.mu);
	pl.stop = 1;
	pthread_cond_broadcast(&pl.cv);
	pthread_mutex_unlock(&pl.mu);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	for (size_t k = emitted; k < pl.njobs && pl.results; k++) {
		sohoa_ocr_page_free(pl.results[k].page);
		free(pl.results[k].message);
	}
	free(threads);
	free(pl.jobs);
	free(pl.results);
	free(pl.done);
	pthread_mutex_destroy(&pl.mu);
	pthread_cond_destroy(&pl.cv);
	return rc;
}
