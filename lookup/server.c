/* lookup/server.c: the HTTP reuse service on libmicrohttpd — bearer-token
 * authentication, per-agency token buckets, the endpoints, package files
 * confined to their package, JSON errors, and an audit row per request. */
#include "lookup/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <math.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "index/index.h"

#define POOL_MAX 64
/* Bytes libmicrohttpd holds per connection for the request line, the
 * headers and the reply's headers. It clears all of them after every
 * request, so this is paid per request: request lines and headers beyond
 * (about) it are answered 431 by libmicrohttpd itself; a body is counted
 * against max_request_bytes and dropped, never held. */
#define CONNECTION_BYTES (16u << 10)

typedef struct {
	char name[65];
	double tokens;
	struct timespec last;
} bucket;

struct sohoa_lookup_server {
	struct MHD_Daemon *mhd;
	sohoa_lookup_options opt;
	char *store;
	int store_fd;
	pthread_mutex_t lock; /* guards the pool and the buckets */
	/* One audit writer at a time: our own threads then never meet SQLite's
	 * busy handler (which sleeps) on the write lock. */
	pthread_mutex_t audit_lock;
	pthread_cond_t freed;
	/* Group commit: requests waiting for their audit row, their connections
	 * suspended, and the thread that writes them (see audit_main). */
	pthread_mutex_t queue_lock; /* guards queue, draining, writer_stop */
	pthread_cond_t queued;
	struct request *queue;
	int draining, writer_stop, writer_started;
	pthread_t writer;
	sohoa_index *writer_idx;
	sohoa_index *pool[POOL_MAX];
	int busy[POOL_MAX];
	size_t npool;
	bucket *buckets;
	size_t nbuckets;
	/* Request ids: 8 random bytes drawn at start, then a counter (no
	 * random draw per request). */
	uint8_t rid_key[8];
	atomic_uint_fast64_t rid_next;
	uint16_t port;
	lookup_tls tls;
	lookup_deadline *deadline;
};

/* What a handler produced: status, body (JSON or a file) and what to audit. */
typedef struct {
	unsigned status;
	char *json;
	size_t json_len;
	int fd; /* file to send, or -1 */
	off_t fd_size;
	const char *content_type;
	long count;
	const char *endpoint;
	char agency[65];
} reply;

/* One request: the raw target (from the URI log callback), its id, how far
 * it got, and its reply, which waits here (connection suspended) while its
 * audit row is written. */
typedef struct request {
	char *target;
	char request_id[33];
	int started, replied;
	size_t body; /* bytes of body received (and dropped: GET takes none) */
	reply r;
	char query[2048];            /* what the audit row records as asked */
	struct MHD_Connection *conn; /* set while queued for the audit */
	struct request *next;        /* in the audit queue */
	int audited;                 /* 1 once the writer has tried its row */
	int audit_rc;                /* what writing it returned */
} request;

/* ---------------------------------------------------------------- pool */
static sohoa_index *pool_take(sohoa_lookup_server *s)
{
	sohoa_index *idx = NULL;
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (size_t i = 0; i < s->npool && !idx; i++)
			if (!s->busy[i]) {
				s->busy[i] = 1;
				idx = s->pool[i];
			}
		if (idx)
			break;
		pthread_cond_wait(&s->freed, &s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return idx;
}

static void pool_give(sohoa_lookup_server *s, sohoa_index *idx)
{
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->npool; i++)
		if (s->pool[i] == idx)
			s->busy[i] = 0;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* ---------------------------------------------------------- rate limit */
/* Takes one token from the agency's bucket, refilled at opt.rate per second up
 * to opt.burst. Returns 0 when the request may go on. */
static int rate_take(sohoa_lookup_server *s, const char *agency)
{
	struct timespec now;
	bucket *b = NULL;
	int ok;

	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < s->nbuckets && !b; i++)
		if (strcmp(s->buckets[i].name, agency) == 0)
			b = &s->buckets[i];
	if (!b) {
		bucket *grown = realloc(s->buckets, (s->nbuckets + 1) * sizeof *grown);
		if (!grown) {
			pthread_mutex_unlock(&s->lock);
			return -1;
		}
		s->buckets = grown;
		b = &s->buckets[s->nbuckets++];
		snprintf(b->name, sizeof b->name, "%s", agency);
		b->tokens = s->opt.burst;
		b->last = now;
	}
	b->tokens += ((double)(now.tv_sec - b->last.tv_sec) +
		      (double)(now.tv_nsec - b->last.tv_nsec) / 1e9) *
		     s->opt.rate;
	if (b->tokens > s->opt.burst)
		b->tokens = s->opt.burst;
	b->last = now;
	ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	pthread_mutex_unlock(&s->lock);
	return ok ? 0 : -1;
}

/* ------------------------------------------------------------- replies */
static void reply_json(reply *r, unsigned status, const char *json)
{
	free(r->json);
	r->status = status;
	r->json = strdup(json);
	r->json_len = r->json ? strlen(r->json) : 0;
}

static void reply_error(reply *r, unsigned status, const char *code, const char *msg,
			const char *request_id)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return;
	fprintf(f, "{\"error\":{\"status\":%u,\"code\":\"%s\",\"message\":", status, code);
	sohoa_json_string(f, msg);
	fprintf(f, ",\"request_id\":\"%s\"}}\n", request_id);
	fclose(f);
	free(r->json);
	r->status = status;
	r->json = buf;
	r->json_len = len;
	r->count = 0;
}

/* Maps a sohoa error to an HTTP error reply. */
static void reply_sohoa_error(reply *r, int rc, const char *request_id)
{
	switch (rc) {
	case SOHOA_ENOTFOUND:
		reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", sohoa_error_last(), request_id);
		break;
	case SOHOA_EINVAL:
	case SOHOA_EFORMAT:
		reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_request", sohoa_error_last(), request_id);
		break;
	case SOHOA_ELIMIT:
		reply_error(r, MHD_HTTP_URI_TOO_LONG, "too_long", sohoa_error_last(), request_id);
		break;
	case SOHOA_EPERM:
		reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", sohoa_error_last(), request_id);
		break;
	case SOHOA_EBUSY:
		reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "busy", "the catalog is busy; retry",
			    request_id);
		break;
	default:
		sohoa_log_error("lookup: request %s: %s", request_id, sohoa_error_last());
		reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
			    "internal error; see the server log", request_id);
	}
}

static void reply_hits(reply *r, const sohoa_index_hits *hits)
{
	char *buf = NULL;
	size_t len = 0;
	if (sohoa_index_json(&buf, &len, hits) < 0)
		return; /* send_reply answers 500 */
	free(r->json);
	r->status = MHD_HTTP_OK;
	r->json = buf;
	r->json_len = len;
	r->count = (long)hits->count;
}

/* ---------------------------------------------------------------- files */
static int open_beneath(int dirfd, const char *path, int flags)
{
	struct open_how how = {.flags = (uint64_t)(flags | O_CLOEXEC),
			       .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
	return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

static const char *media_type(const char *path)
{
	static const char *const types[][2] = {
		{".xml", "application/xml"},
		{".pdf", "application/pdf"},
		{".tif", "image/tiff"},
		{".tiff", "image/tiff"},
		{".txt", "text/plain; charset=utf-8"},
		{".json", "application/json"},
		{".png", "image/png"},
		{".jpg", "image/jpeg"},
	};
	size_t n = strlen(path);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t k = strlen(types[i][0]);
		if (n > k && strcmp(path + n - k, types[i][0]) == 0)
			return types[i][1];
	}
	return "application/octet-stream";
}

/* Opens `file` of the dossier's package, never leaving the package directory
 * (no "..", no absolute path, no symbolic link out: openat2 RESOLVE_BENEATH). */
static void serve_file(sohoa_lookup_server *s, sohoa_index *idx, reply *r, const char *code,
		       const char *file, const char *rid)
{
	sohoa_index_hits *hits = NULL;
	struct stat st;
	int pkg = -1, fd = -1;
	int rc = sohoa_index_lookup_dossier(idx, code, 1, &hits);

	if (rc < 0) {
		reply_sohoa_error(r, rc, rid);
		goto cleanup;
	}
	if (hits->count == 0 || !*hits->hits[0].package_path) {
		reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no package for this dossier", rid);
		goto cleanup;
	}
	pkg = open_beneath(s->store_fd, hits->hits[0].package_path, O_RDONLY | O_DIRECTORY);
	if (pkg >= 0)
		fd = open_beneath(pkg, file, O_RDONLY | O_NOCTTY);
	if (fd < 0 && errno == EXDEV) {
		reply_error(r, MHD_HTTP_FORBIDDEN, "forbidden", "path leads outside the package",
			    rid);
		goto cleanup;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no such file in the package", rid);
		goto cleanup;
	}
	r->status = MHD_HTTP_OK;
	r->fd = fd;
	r->fd_size = st.st_size;
	r->content_type = media_type(file);
	r->count = 1;
	fd = -1;
cleanup:
	if (fd >= 0)
		close(fd);
	if (pkg >= 0)
		close(pkg);
	sohoa_index_hits_free(hits);
}

/* ------------------------------------------------------------ endpoints */
static void run_route(sohoa_lookup_server *s, sohoa_index *idx, reply *r,
		      const sohoa_lookup_route *route, const char *rid)
{
	sohoa_index_hits *hits = NULL;
	int rc = 0;

	switch (route->endpoint) {
	case SOHOA_ROUTE_CITIZEN:
		r->endpoint = "GET /v1/citizens/{id}/results";
		rc = sohoa_index_lookup_citizen(idx, route->key, 0, &hits);
		break;
	case SOHOA_ROUTE_DOSSIER:
		r->endpoint = "GET /v1/dossiers/{code}";
		rc = sohoa_index_lookup_dossier(idx, route->key, 0, &hits);
		if (rc == 0 && hits->count == 0)
			rc = sohoa_error_set(SOHOA_ENOTFOUND, _("no dossier '%s'"), route->key);
		break;
	case SOHOA_ROUTE_PACKAGE_XML:
		r->endpoint = "GET /v1/packages/{code}/package.xml";
		serve_file(s, idx, r, route->key, "package.xml", rid);
		return;
	case SOHOA_ROUTE_PACKAGE_FILE:
		r->endpoint = "GET /v1/packages/{code}/files/{path}";
		serve_file(s, idx, r, route->key, route->file, rid);
		return;
	case SOHOA_ROUTE_SEARCH: {
		sohoa_index_query q = {.text = route->q,
				       .agency = *route->agency ? route->agency : NULL,
				       .doc_type = *route->type ? route->type : NULL,
				       .from = *route->from ? route->from : NULL,
				       .to = *route->to ? route->to : NULL,
				       .limit = route->limit};
		r->endpoint = "GET /v1/search";
		rc = sohoa_index_search(idx, &q, &hits);
		break;
	}
	}
	if (rc < 0)
		reply_sohoa_error(r, rc, rid);
	else
		reply_hits(r, hits);
	sohoa_index_hits_free(hits);
}

/* What the audit row records as the query: the target, decoded parts only
 * (the route), so the row says what was asked. */
static void audit_query(char *out, size_t cap, const sohoa_lookup_route *route, const char *target)
{
	if (route->endpoint == SOHOA_ROUTE_SEARCH)
		snprintf(out, cap, "q=%s agency=%s type=%s from=%s to=%s limit=%u", route->q,
			 route->agency, route->type, route->from, route->to, route->limit);
	else if (route->endpoint == SOHOA_ROUTE_PACKAGE_FILE)
		snprintf(out, cap, "%s files/%s", route->key, route->file);
	else if (route->endpoint)
		snprintf(out, cap, "%s", route->key);
	else
		snprintf(out, cap, "%.*s", 200, target);
}

static enum MHD_Result sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	(void)kind;
	*(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

/* True when the request line, headers and body (announced or received so
 * far) exceed max_request_bytes. */
static int too_large(const sohoa_lookup_server *s, struct MHD_Connection *conn, const request *req,
		     const char *method)
{
	const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	size_t head = strlen(req->target) + strlen(method) + 12 + req->body;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, sum_header, &head);
	return head > s->opt.max_request_bytes ||
	       (clen && strtoull(clen, NULL, 10) > s->opt.max_request_bytes - head);
}

/* Answers 503 in place of `r`: its audit row could not be written. */
static void reply_unaudited(reply *r, const char *rid, int log)
{
	if (log) /* else the audit writer thread has logged why */
		sohoa_log_error("lookup: request %s: audit: %s", rid, sohoa_error_last());
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "audit_unavailable",
		    "the request could not be audited; retry later", rid);
}

/* Queues the request's audit row for the writer thread and suspends its
 * connection until the row is committed (on_request then sends the reply).
 * Returns 0 when queued; -1 when the server is stopping (the caller then
 * writes the row itself). */
static int audit_queue(sohoa_lookup_server *s, struct MHD_Connection *conn, request *req)
{
	pthread_mutex_lock(&s->queue_lock);
	if (s->draining) {
		pthread_mutex_unlock(&s->queue_lock);
		return -1;
	}
	lookup_deadline_request_in(s->deadline, conn);
	/* Suspended before the writer can see it, so its resume always follows. */
	MHD_suspend_connection(conn);
	req->conn = conn;
	req->next = s->queue;
	s->queue = req;
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->queue_lock);
	return 0;
}

/* The audit row of the request's reply, in the entry form. */
static sohoa_index_audit_entry audit_entry(const request *req)
{
	return (sohoa_index_audit_entry){.agency = req->r.agency,
					 .endpoint = req->r.endpoint,
					 .query = req->query,
					 .request_id = req->request_id,
					 .status = (int)req->r.status,
					 .result_count = req->r.count};
}

/* Authenticates, rate-limits and routes one request into req->r. Every
 * authenticated request, served or refused, leaves an audit row, and its
 * reply is sent only once that row is committed; a request that cannot be
 * audited is answered 503. Returns 1 when the reply waits for the audit
 * writer (connection suspended), 0 when it can be sent now. */
static int handle(sohoa_lookup_server *s, struct MHD_Connection *conn, request *req,
		  const char *method)
{
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	const char *rid = req->request_id;
	sohoa_lookup_route route = {0};
	sohoa_index *idx = NULL;
	reply *r = &req->r;
	int rc, waits = 0;

	r->endpoint = "-";
	if (too_large(s, conn, req, method)) {
		reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
			    "request larger than the service accepts", rid);
		return 0;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		reply_error(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
			    "only GET is served", rid);
		return 0;
	}
	if (!auth || strncmp(auth, "Bearer ", 7) != 0) {
		reply_error(r, MHD_HTTP_UNAUTHORIZED, "unauthorized",
			    "an agency token is required: Authorization: Bearer TOKEN", rid);
		return 0;
	}
	idx = pool_take(s);
	rc = sohoa_index_agency_auth(idx, auth + 7, r->agency);
	if (rc == SOHOA_EAUTH) {
		sohoa_log_info("lookup: request %s: unknown token", rid);
		reply_error(r, MHD_HTTP_UNAUTHORIZED, "unauthorized", "unknown token", rid);
		goto cleanup;
	}
	if (rc == SOHOA_EPERM) {
		reply_error(r, MHD_HTTP_FORBIDDEN, "revoked", "this agency's token was revoked",
			    rid);
	} else if (rc < 0) {
		reply_sohoa_error(r, rc, rid);
	} else if (rate_take(s, r->agency) < 0) {
		reply_error(r, MHD_HTTP_TOO_MANY_REQUESTS, "rate_limited",
			    "too many requests for this agency; retry later", rid);
	} else if ((rc = sohoa_lookup_route_parse(&route, req->target)) < 0) {
		reply_sohoa_error(r, rc, rid);
	} else {
		run_route(s, idx, r, &route, rid);
	}
	audit_query(req->query, sizeof req->query, &route, req->target);
	if (audit_queue(s, conn, req) == 0) {
		waits = 1;
	} else {
		sohoa_index_audit_entry e = audit_entry(req);
		pthread_mutex_lock(&s->audit_lock);
		rc = sohoa_index_audit_append(idx, &e);
		pthread_mutex_unlock(&s->audit_lock);
		if (rc < 0)
			reply_unaudited(r, rid, 1);
	}
cleanup:
	pool_give(s, idx);
	return waits;
}

/* Writes the rows of one batch of queued requests (most recent first in
 * the list, so reversed into arrival order) in one transaction, then
 * resumes their connections; each reply goes out once its row is
 * committed, or as 503 if the batch failed. */
static void audit_batch(sohoa_lookup_server *s, request *batch)
{
	sohoa_index_audit_entry *e;
	request *order = NULL, *next;
	size_t n = 0;
	int rc;

	for (; batch; batch = next, n++) {
		next = batch->next;
		batch->next = order;
		order = batch;
	}
	e = calloc(n, sizeof *e);
	n = 0;
	for (request *q = order; e && q; q = q->next)
		e[n++] = audit_entry(q);
	pthread_mutex_lock(&s->audit_lock);
	rc = e ? sohoa_index_audit_append_many(s->writer_idx, e, n)
	       : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	pthread_mutex_unlock(&s->audit_lock);
	free(e);
	if (rc < 0)
		sohoa_log_error("lookup: audit of %zu requests: %s", n, sohoa_error_last());
	for (request *q = order; q; q = next) {
		struct MHD_Connection *conn = q->conn;
		next = q->next; /* q may be freed once its connection resumes */
		q->audit_rc = rc;
		q->audited = 1;
		MHD_resume_connection(conn);
	}
}

/* The audit writer: takes whatever requests have queued while the previous
 * batch was being committed, and commits them together. Runs until told to
 * stop with the queue empty. */
static void *audit_main(void *arg)
{
	sohoa_lookup_server *s = arg;

	pthread_mutex_lock(&s->queue_lock);
	for (;;) {
		request *batch;
		while (!s->queue && !s->writer_stop)
			pthread_cond_wait(&s->queued, &s->queue_lock);
		if (!s->queue)
			break;
		batch = s->queue;
		s->queue = NULL;
		pthread_mutex_unlock(&s->queue_lock);
		audit_batch(s, batch);
		pthread_mutex_lock(&s->queue_lock);
	}
	pthread_mutex_unlock(&s->queue_lock);
	return NULL;
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, reply *r, const char *rid)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->fd >= 0) {
		resp = MHD_create_response_from_fd((uint64_t)r->fd_size, r->fd);
		if (resp) /* the response owns the file now */
			r->fd = -1;
	} else {
		if (!r->json)
			reply_json(r, MHD_HTTP_INTERNAL_SERVER_ERROR,
				   "{\"error\":{\"status\":500}}\n");
		resp = r->json ? MHD_create_response_from_buffer(r->json_len, r->json,
								 MHD_RESPMEM_MUST_FREE)
			       : NULL;
		if (resp)
			r->json = NULL;
		r->content_type = "application/json; charset=utf-8";
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", r->content_type);
	MHD_add_response_header(resp, "X-Request-Id", rid);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (r->status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"sohoa\"");
	if (r->status == MHD_HTTP_TOO_MANY_REQUESTS)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->status >= 400 && r->status != MHD_HTTP_NOT_FOUND)
		MHD_add_response_header(resp, "Connection", "close");
	ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* With a client CA: true (and a 403 in `r`) when the TLS client has no
 * certificate that chains to it. Checked on each request, before the token. */
static int refuse_client(struct MHD_Connection *conn, const request *req, reply *r)
{
	char who[512];
	if (lookup_tls_check_peer(who, sizeof who, conn) == 0)
		return 0;
	sohoa_log_info("lookup: request %s: %s", req->request_id, sohoa_error_last());
	reply_error(r, MHD_HTTP_FORBIDDEN, "client_certificate", sohoa_error_last(),
		    req->request_id);
	return 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	sohoa_lookup_server *s = cls;
	request *req = *req_cls;

	(void)url;
	(void)version;
	(void)upload;
	if (!req)
		return MHD_NO;
	if (req->replied) { /* a body arriving after an early reply: dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	if (req->audited) { /* resumed: the audit writer has tried its row */
		if (req->audit_rc < 0)
			reply_unaudited(&req->r, req->request_id, 0);
		goto answer;
	}
	/* The reply is queued once the whole request is in (the call with no
	 * upload data), so the connection can be kept alive; only a request
	 * already too large is answered early, and that connection closed. */
	if (!req->started) {
		req->started = 1;
		if (s->tls.client_ca && refuse_client(conn, req, &req->r))
			goto answer;
		if (!too_large(s, conn, req, method))
			return MHD_YES;
	} else if (*upload_size) {
		req->body += *upload_size;
		*upload_size = 0;
		if (!too_large(s, conn, req, method))
			return MHD_YES;
	}
	if (handle(s, conn, req, method))
		return MHD_YES; /* suspended until its audit row is committed */
answer:
	req->replied = 1;
	lookup_deadline_request_in(s->deadline, conn);
	return send_reply(conn, &req->r, req->request_id);
}

/* MHD hands over the raw target (still percent-encoded, query included) here,
 * before any decoding of its own; route.c does all the decoding. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	sohoa_lookup_server *s = cls;
	request *req = calloc(1, sizeof *req);
	uint64_t n = atomic_fetch_add_explicit(&s->rid_next, 1, memory_order_relaxed);
	uint8_t raw[16];
	(void)conn;
	if (!req)
		return NULL;
	req->r.fd = -1;
	req->r.endpoint = "-";
	req->target = strdup(uri ? uri : "");
	memcpy(raw, s->rid_key, sizeof s->rid_key);
	for (int i = 0; i < 8; i++)
		raw[8 + i] = (uint8_t)(n >> (56 - 8 * i));
	sohoa_hex(req->request_id, raw, sizeof raw);
	if (!req->target) {
		free(req);
		return NULL;
	}
	return req;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode why)
{
	sohoa_lookup_server *s = cls;
	request *req = *req_cls;
	(void)why;
	lookup_deadline_request_done(s->deadline, conn);
	if (req) {
		if (req->r.fd >= 0)
			close(req->r.fd);
		free(req->r.json);
		free(req->target);
		free(req);
	}
	*req_cls = NULL;
}

static size_t keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	sohoa_log_info("lookup: libmicrohttpd: %s", msg);
}

/* ---------------------------------------------------------------- start */
static int open_pool(sohoa_lookup_server *s)
{
	char *path = NULL;
	int rc = 0;

	if (asprintf(&path, "%s/catalog.sqlite", s->store) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (access(path, F_OK) != 0)
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("%s: no catalog in this store"), path);
	/* One catalog handle per worker thread, plus one for good measure. */
	s->npool = s->opt.threads + 1 > POOL_MAX ? POOL_MAX : s->opt.threads + 1;
	for (size_t i = 0; rc == 0 && i < s->npool; i++)
		rc = sohoa_index_open(&s->pool[i], path);
	if (rc == 0) /* the audit writer's own handle */
		rc = sohoa_index_open(&s->writer_idx, path);
	free(path);
	return rc;
}

static int listen_address(struct sockaddr_storage *sa, const sohoa_lookup_options *o)
{
	const char *host = o->host ? o->host : SOHOA_LOOKUP_DEFAULT_HOST;
	struct sockaddr_in *v4 = (struct sockaddr_in *)sa;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)sa;

	memset(sa, 0, sizeof *sa);
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(o->port);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(o->port);
		return 0;
	}
	return sohoa_error_set(SOHOA_EINVAL,
			       _("listen address '%s': give a numeric IPv4 or IPv6 address"), host);
}

/* The daemon: epoll, a worker pool, the caps, our callbacks, and TLS when
 * configured (libmicrohttpd keeps pointers to the PEM texts in s->tls). */
static struct MHD_Daemon *start_daemon(sohoa_lookup_server *s, struct sockaddr_storage *sa)
{
	struct MHD_OptionItem o[32];
	size_t n = 0;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
			 MHD_ALLOW_SUSPEND_RESUME;
#define OPT(opt, value, ptr) o[n++] = (struct MHD_OptionItem){(opt), (intptr_t)(value), (ptr)}
	OPT(MHD_OPTION_SOCK_ADDR, 0, sa);
	OPT(MHD_OPTION_THREAD_POOL_SIZE, s->opt.threads, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, s->opt.timeout_s, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_BYTES, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, 4096, NULL);
	OPT(MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL);
	OPT(MHD_OPTION_URI_LOG_CALLBACK, on_uri, s);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, on_completed, s);
	OPT(MHD_OPTION_NOTIFY_CONNECTION, lookup_deadline_notify, s->deadline);
	OPT(MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, s);
	OPT(MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s);
	if (s->tls.cert) {
		flags |= MHD_USE_TLS;
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls.cert);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls.key);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0, "NORMAL:-VERS-TLS1.0:-VERS-TLS1.1");
	}
	if (s->tls.client_ca)
		OPT(MHD_OPTION_HTTPS_MEM_TRUST, 0, s->tls.client_ca);
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT
	if (sa->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_ARRAY, o,
				MHD_OPTION_END);
}

int sohoa_lookup_start(sohoa_lookup_server **out, const sohoa_lookup_options *opt)
{
	sohoa_lookup_server *s = calloc(1, sizeof *s);
	struct sockaddr_storage sa;
	const union MHD_DaemonInfo *info;
	int rc = 0;

	*out = NULL;
	if (!s)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->audit_lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	pthread_mutex_init(&s->queue_lock, NULL);
	pthread_cond_init(&s->queued, NULL);
	s->store_fd = -1;
	s->opt = *opt;
	if (!s->opt.threads)
		s->opt.threads = 2;
	if (s->opt.rate <= 0)
		s->opt.rate = 200;
	if (s->opt.burst < 1)
		s->opt.burst = 2 * s->opt.rate;
	if (!s->opt.timeout_s)
		s->opt.timeout_s = 10;
	if (!s->opt.deadline_ms)
		s->opt.deadline_ms = 30000;
	if (!s->opt.max_request_bytes)
		s->opt.max_request_bytes = sohoa_limits_default().max_request_bytes;
	if (RAND_bytes(s->rid_key, sizeof s->rid_key) != 1) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("no random bytes for request ids"));
		goto cleanup;
	}
	s->store = strdup(opt->store ? opt->store : ".");
	if (!s->store) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	rc = listen_address(&sa, &s->opt);
	if (rc == 0)
		rc = open_pool(s);
	if (rc < 0)
		goto cleanup;
	s->store_fd = open(s->store, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->store_fd < 0) {
		rc = sohoa_error_from_errno(errno, "%s", s->store);
		goto cleanup;
	}
	if ((rc = lookup_tls_load(&s->tls, &s->opt)) < 0 ||
	    (rc = lookup_deadline_start(&s->deadline, s->opt.deadline_ms)) < 0)
		goto cleanup;
	if (pthread_create(&s->writer, NULL, audit_main, s) != 0) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("cannot start the audit writer thread"));
		goto cleanup;
	}
	s->writer_started = 1;
	s->mhd = start_daemon(s, &sa);
	if (!s->mhd) {
		rc = sohoa_error_set(SOHOA_EIO, _("cannot listen on %s port %u"),
				     s->opt.host ? s->opt.host : SOHOA_LOOKUP_DEFAULT_HOST,
				     (unsigned)s->opt.port);
		goto cleanup;
	}
	info = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : s->opt.port;
cleanup:
	if (rc < 0) {
		sohoa_lookup_stop(s);
		return rc;
	}
	*out = s;
	return 0;
}

uint16_t sohoa_lookup_port(const sohoa_lookup_server *s)
{
	return s->port;
}

void sohoa_lookup_stop(sohoa_lookup_server *s)
{
	if (!s)
		return;
	/* Requests from now on write their own audit rows; the writer commits
	 * those queued and resumes their connections (libmicrohttpd refuses to
	 * stop with a connection suspended), then the daemon stops. */
	pthread_mutex_lock(&s->queue_lock);
	s->draining = 1;
	s->writer_stop = 1;
	pthread_cond_signal(&s->queued);
	pthread_mutex_unlock(&s->queue_lock);
	if (s->writer_started)
		pthread_join(s->writer, NULL);
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	lookup_deadline_stop(s->deadline);
	lookup_tls_free(&s->tls);
	for (size_t i = 0; i < s->npool; i++)
		sohoa_index_close(s->pool[i]);
	sohoa_index_close(s->writer_idx);
	if (s->store_fd >= 0)
		close(s->store_fd);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->audit_lock);
	pthread_cond_destroy(&s->freed);
	pthread_mutex_destroy(&s->queue_lock);
	pthread_cond_destroy(&s->queued);
	free(s->buckets);
	free(s->store);
	free(s);
}
