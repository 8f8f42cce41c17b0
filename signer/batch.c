/* signer/batch.c: sohoa_signer_sign_packages, many packages with one key
 * (`sohoa sign --batch`). Signing threads sign each package and write the new
 * package.xml under a temporary name while the calling thread commits the
 * finished ones in groups (sohoa_atomic_commit_all), so the disk flushes and
 * renames overlap the signing. */
#include "signer/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GROUP 128 /* packages committed together at most */
/* signed but not yet committed, at most: their temporary files are written
 * and closed, so this costs no descriptor, only a little memory each */
#define AHEAD    (8 * GROUP)
#define MAX_JOBS 16

typedef struct {
	sohoa_atomic_file *af; /* the new package.xml, written, not committed */
	int rc;
	char *err; /* the failure's message (it was set in another thread) */
} slot;

typedef struct {
	const char *const *packages;
	const size_t *order; /* this round's packages, as indexes into packages */
	size_t n;            /* in this round */
	slot *slots;         /* by position in order */
	size_t *done_pos;    /* positions in the order they were signed */
	sohoa_signer_key *key;
	const sohoa_signer_sign_options *opt;
	pthread_mutex_t mu;
	pthread_cond_t signed_one, room;
	size_t next;     /* next position to sign */
	size_t nsigned;  /* filled entries of done_pos */
	size_t inflight; /* taken by a signer, not yet committed */
} batch;

/* Signs `package` and writes its new package.xml to a temporary file (*af),
 * closed, not committed. */
static int sign_to_temp(sohoa_atomic_file **af, const char *package, sohoa_signer_key *key,
			const sohoa_signer_sign_options *opt)
{
	char *path = sohoa_signer_package_xml(package);
	xmlChar *xml = NULL;
	int len = 0, rc;

	*af = NULL;
	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if ((rc = signer_sign_to_memory(&xml, &len, path, key, opt)) == 0 &&
	    (rc = sohoa_atomic_open(af, path)) == 0 &&
	    ((rc = sohoa_atomic_write(*af, xml, (size_t)len)) < 0 ||
	     (rc = sohoa_atomic_close(*af)) < 0)) {
		sohoa_atomic_abort(*af);
		*af = NULL;
	}
	xmlFree(xml);
	free(path);
	return rc;
}

/* Takes the next package (b->mu held), signs it with the lock released and
 * records it as signed. */
static void sign_next(batch *b)
{
	size_t pos = b->next++;
	slot *s = &b->slots[pos];

	b->inflight++;
	pthread_mutex_unlock(&b->mu);
	s->rc = sign_to_temp(&s->af, b->packages[b->order[pos]], b->key, b->opt);
	if (s->rc < 0)
		s->err = strdup(sohoa_error_last());
	pthread_mutex_lock(&b->mu);
	b->done_pos[b->nsigned++] = pos;
	pthread_cond_signal(&b->signed_one);
}

static void *signer_thread(void *arg)
{
	batch *b = arg;

	pthread_mutex_lock(&b->mu);
	while (b->next < b->n) {
		if (b->inflight >= AHEAD)
			pthread_cond_wait(&b->room, &b->mu);
		else
			sign_next(b);
	}
	pthread_mutex_unlock(&b->mu);
	return NULL;
}

/* The failure of one package, reported in this thread. */
static int report(batch *b, size_t pos, int rc, const char *msg,
		  void (*done)(size_t i, int rc, void *user), void *user)
{
	if (msg)
		sohoa_error_set(rc, "%s", msg);
	if (done)
		done(b->order[pos], rc, user);
	return rc;
}

/* Commits the signed packages at `pos[0..k)` together; reports each, the
 * failed ones first. Returns the last failure, or 0. */
static int commit_group(batch *b, const size_t *pos, size_t k,
			void (*done)(size_t i, int rc, void *user), void *user)
{
	sohoa_atomic_file *afs[GROUP];
	size_t which[GROUP], m = 0;
	int rcs[GROUP], last = 0;

	for (size_t j = 0; j < k; j++) {
		slot *s = &b->slots[pos[j]];
		if (s->rc < 0) {
			last = report(b, pos[j], s->rc, s->err, done, user);
			continue;
		}
		afs[m] = s->af;
		s->af = NULL;
		which[m++] = pos[j];
	}
	sohoa_atomic_commit_all(afs, m, rcs);
	for (size_t j = 0; j < m; j++) {
		if (rcs[j] < 0)
			last = sohoa_error_set(rcs[j], _("%s: package.xml could not be written"),
					       b->packages[b->order[which[j]]]);
		if (done)
			done(b->order[which[j]], rcs[j], user);
	}
	return last;
}

/* Signs and commits one round (no package twice) with `jobs` signing threads;
 * the calling thread commits. Returns the last failure, or 0. */
static int run_round(batch *b, int jobs, void (*done)(size_t i, int rc, void *user), void *user)
{
	pthread_t threads[MAX_JOBS];
	size_t taken = 0, pos[GROUP];
	int started = 0, last = 0;

	for (; started < jobs; started++) {
		if (pthread_create(&threads[started], NULL, signer_thread, b) != 0)
			break;
		pthread_setname_np(threads[started], "sohoa-sign");
	}
	while (taken < b->n) {
		size_t k;
		int rc;
		pthread_mutex_lock(&b->mu);
		/* a whole group, or what is left: two syncfs per group, each of
		 * which walks the filesystem's inodes, so groups are kept full */
		while (b->nsigned - taken < GROUP && b->nsigned < b->n) {
			if (started)
				pthread_cond_wait(&b->signed_one, &b->mu);
			else /* no thread could start: sign here */
				sign_next(b);
		}
		k = b->nsigned - taken < GROUP ? b->nsigned - taken : GROUP;
		memcpy(pos, b->done_pos + taken, k * sizeof *pos);
		taken += k;
		pthread_mutex_unlock(&b->mu);
		if ((rc = commit_group(b, pos, k, done, user)) < 0)
			last = rc;
		pthread_mutex_lock(&b->mu);
		b->inflight -= k;
		pthread_cond_broadcast(&b->room);
		pthread_mutex_unlock(&b->mu);
	}
	for (int t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	return last;
}

typedef struct {
	dev_t dev;
	ino_t ino;
	size_t i;
} file_id;

static int by_file(const void *pa, const void *pb)
{
	const file_id *a = pa, *b = pb;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* round[i]: how many times packages[i]'s package.xml (same device and inode)
 * came earlier in the list. A second signature of one file must be made over
 * the committed first one, so each round waits for the one before. Returns
 * the number of rounds, 0 when out of memory. */
static size_t rounds_of(size_t *round, const char *const *packages, size_t n)
{
	file_id *ids = calloc(n ? n : 1, sizeof *ids);
	size_t rounds = 1;

	if (!ids)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char *path = sohoa_signer_package_xml(packages[i]);
		struct stat st;
		ids[i].i = i;
		if (path && stat(path, &st) == 0) {
			ids[i].dev = st.st_dev;
			ids[i].ino = st.st_ino;
		}
		free(path);
	}
	qsort(ids, n, sizeof *ids, by_file);
	for (size_t j = 0; j < n; j++) {
		int same = j > 0 && ids[j].dev && ids[j].dev == ids[j - 1].dev &&
			   ids[j].ino == ids[j - 1].ino;
		round[ids[j].i] = same ? round[ids[j - 1].i] + 1 : 0;
		if (round[ids[j].i] + 1 > rounds)
			rounds = round[ids[j].i] + 1;
	}
	free(ids);
	return rounds;
}

/* Signing threads: opt->jobs, else 2 (1 on a single CPU); 1 for a token key
 * (one session) or with a timestamp authority. */
static int jobs_for(const sohoa_signer_key *key, const sohoa_signer_sign_options *opt, size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = opt && opt->jobs > 0 ? opt->jobs : cpus > 1 ? 2 : 1;

	if (key->p11 || (opt && opt->tsa_url))
		jobs = 1;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if ((size_t)jobs > n)
		jobs = n ? (int)n : 1;
	return jobs;
}

int sohoa_signer_sign_packages(const char *const *packages, size_t n, sohoa_signer_key *key,
			       const sohoa_signer_sign_options *opt,
			       void (*done)(size_t i, int rc, void *user), void *user)
{
	size_t *round = calloc(n ? n : 1, sizeof *round);
	size_t *order = calloc(n ? n : 1, sizeof *order);
	size_t *done_pos = calloc(n ? n : 1, sizeof *done_pos);
	slot *slots = calloc(n ? n : 1, sizeof *slots);
	size_t rounds = round ? rounds_of(round, packages, n) : 0;
	int jobs = jobs_for(key, opt, n), last = 0;

	if (!order || !done_pos || !slots || !rounds) {
		last = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	xmlInitParser(); /* before any thread parses */
	for (size_t r = 0; r < rounds; r++) {
		batch b = {.packages = packages,
			   .order = order,
			   .slots = slots,
			   .done_pos = done_pos,
			   .key = key,
			   .opt = opt};
		int rc;
		for (size_t i = 0; i < n; i++)
			if (round[i] == r)
				order[b.n++] = i;
		memset(slots, 0, n * sizeof *slots);
		pthread_mutex_init(&b.mu, NULL);
		pthread_cond_init(&b.signed_one, NULL);
		pthread_cond_init(&b.room, NULL);
		if ((rc = run_round(&b, jobs, done, user)) < 0)
			last = rc;
		for (size_t j = 0; j < b.n; j++)
			free(slots[j].err);
		pthread_cond_destroy(&b.room);
		pthread_cond_destroy(&b.signed_one);
		pthread_mutex_destroy(&b.mu);
	}
cleanup:
	free(round);
	free(order);
	free(done_pos);
	free(slots);
	return last;
}
