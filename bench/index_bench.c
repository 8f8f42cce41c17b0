/* bench/index_bench.c: fills a store's catalog with N generated documents
 * (Vietnamese names, agencies, types and text; default 100,000) and prints the
 * in-process latency percentiles of citizen lookups and full-text queries.
 *   sohoa-index-bench STORE [N] [merge]
 * With "merge", the full-text index is first merged into one segment
 * (sohoa_index_merge until done), and the time that took printed.
 * A store that already has STORE/bench-citizens.txt is reused as it is (give
 * the same N). Writes STORE/bench-citizens.txt (one citizen id per line) and
 * STORE/bench-token (a token of agency "bench") for the HTTP bench. Prints
 * figures, never pass/fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "index/index.h"

static const char *const surnames[] = {"Nguyễn", "Trần", "Lê",    "Phạm", "Hoàng", "Huỳnh",
				       "Phan",   "Vũ",   "Võ",    "Đặng", "Bùi",   "Đỗ",
				       "Hồ",     "Ngô",  "Dương", "Lý"};
static const char *const middles[] = {"Văn", "Thị",  "Hữu",   "Minh",  "Thu",
				      "Đức", "Ngọc", "Quang", "Thanh", "Xuân"};
static const char *const givens[] = {"An",   "Bình",  "Châu", "Dũng",  "Giang", "Hà",   "Hải",
				     "Hạnh", "Hoa",   "Hùng", "Khánh", "Lan",   "Linh", "Long",
				     "Mai",  "Nam",   "Ngân", "Phúc",  "Quân",  "Sơn",  "Tâm",
				     "Thảo", "Trang", "Tuấn", "Vy",    "Yến",   "Đạt",  "Đông"};
static const char *const types[] = {"Giấy khai sinh",
				    "Trích lục kết hôn",
				    "Giấy chứng nhận quyền sử dụng đất",
				    "Quyết định",
				    "Giấy phép xây dựng",
				    "Giấy xác nhận tình trạng hôn nhân",
				    "Giấy chứng nhận đăng ký hộ kinh doanh",
				    "Công văn"};
static const char *const words[] = {
	"ủy",     "ban",   "nhân",   "dân",   "phường", "xã",    "huyện", "tỉnh",  "thành",
	"phố",    "đăng",  "ký",     "khai",  "sinh",   "kết",   "hôn",   "hộ",    "khẩu",
	"thường", "trú",   "tạm",    "giấy",  "chứng",  "nhận",  "quyền", "sử",    "dụng",
	"đất",    "nhà",   "ở",      "tài",   "sản",    "gắn",   "liền",  "với",   "căn",
	"cứ",     "luật",  "nghị",   "định",  "thông",  "tư",    "quyết", "về",    "việc",
	"cấp",    "lại",   "bản",    "sao",   "trích",  "lục",   "công",  "dân",   "ông",
	"bà",     "anh",   "chị",    "sinh",  "ngày",   "tháng", "năm",   "tại",   "nơi",
	"cư",     "quê",   "quán",   "dân",   "tộc",    "kinh",  "quốc",  "tịch",  "việt",
	"nam",    "số",    "định",   "danh",  "cá",     "nhân",  "hồ",    "sơ",    "thủ",
	"tục",    "hành",  "chính",  "một",   "cửa",    "liên",  "thông", "điện",  "tử",
	"xây",    "dựng",  "giấy",   "phép",  "diện",   "tích",  "thửa",  "tờ",    "bản",
	"đồ",     "mục",   "đích",   "lâu",   "dài",    "thời",  "hạn",   "sở",    "hữu",
	"chung",  "riêng", "vợ",     "chồng", "cha",    "mẹ",    "con",   "người", "giám",
	"hộ",     "xác",   "nhận",   "tình",  "trạng",  "độc",   "thân",  "chưa",  "kết",
	"hôn",    "lần",   "nào",    "đăng",  "kiểm",   "tra",   "thẩm",  "quyền", "chủ",
	"tịch",   "phó",   "trưởng", "phòng", "tư",     "pháp",  "hộ",    "tịch",  "tài",
	"nguyên", "môi",   "trường", "kinh",  "doanh",  "ngành", "nghề",  "vốn",   "điều",
	"lệ",     "địa",   "chỉ",    "trụ",   "sở",     "điện",  "thoại",
};
/* Rare words: one document in about 500 gets one of them. */
static const char *const rare[] = {"khoáng", "tượng", "ngư", "lâm", "đài", "khánh"};
#define NWORDS (sizeof words / sizeof words[0])
#define N(a)   (sizeof a / sizeof a[0])

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* Zipf-like: low indexes much more often. */
static size_t zipf(size_t n)
{
	double u = (rnd() % 1000000) / 1e6;
	size_t k = (size_t)((double)n * u * u * u);
	return k < n ? k : n - 1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void report(const char *what, double *ms, size_t n, size_t hits)
{
	qsort(ms, n, sizeof *ms, cmp_double);
	printf("%-34s n=%-6zu p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%.1f "
	       "hits/query)\n",
	       what, n, ms[n / 2], ms[n * 95 / 100], ms[n * 99 / 100], ms[n - 1],
	       (double)hits / (double)n);
}

static int fill(sohoa_index *idx, const char *store, size_t ndocs)
{
	char path[4096], code[64], citizen[16], name[96], date[16], *text = malloc(8192);
	FILE *ids;
	size_t ncitizens = ndocs / 2 + 1;
	double t0 = now_ms();

	snprintf(path, sizeof path, "%s/bench-citizens.txt", store);
	ids = fopen(path, "w");
	if (!ids || !text)
		return -1;
	for (size_t c = 0; c < ncitizens && c < 20000; c++)
		fprintf(ids, "%012zu\n", 1000000000 + c * 7919 % ncitizens);
	fclose(ids);
	for (size_t i = 0; i < ndocs; i++) {
		size_t c = rnd() % ncitizens, len = 0, nw = 80 + rnd() % 300;
		if (i % 1000 == 0 &&
		    ((i && sohoa_index_batch_commit(idx) < 0) || sohoa_index_batch_begin(idx) < 0))
			return -1;
		snprintf(code, sizeof code, "000.00.%02u.H%02u-%02u%02u%02u-%04zu",
			 (unsigned)(c % 30), (unsigned)(c % 63), 20 + (unsigned)(i % 5),
			 1 + (unsigned)(i % 12), 1 + (unsigned)(i % 28), i % 10000);
		snprintf(citizen, sizeof citizen, "%012zu", 1000000000 + c);
		snprintf(name, sizeof name, "%s %s %s", surnames[c % N(surnames)],
			 middles[(c / 16) % N(middles)], givens[(c / 160) % N(givens)]);
		snprintf(date, sizeof date, "20%02u-%02u-%02u", 18 + (unsigned)(i % 7),
			 1 + (unsigned)(rnd() % 12), 1 + (unsigned)(rnd() % 28));
		len += (size_t)snprintf(text, 8192, "%s. ", name);
		for (size_t w = 0; w < nw && len < 8000; w++)
			len += (size_t)snprintf(text + len, 8192 - len, "%s ", words[zipf(NWORDS)]);
		if (rnd() % 500 == 0)
			snprintf(text + len, 8192 - len, "%s", rare[rnd() % N(rare)]);
		sohoa_index_doc d = {.dossier_code = code,
				     .doc_no = 1 + (int)(i % 3),
				     .citizen_id = citizen,
				     .applicant = name,
				     .agency = surnames[i % 5] == surnames[0] ? "H29" : "H30",
				     .doc_type = types[rnd() % N(types)],
				     .notation = "123/QĐ-UBND",
				     .issue_date = date,
				     .procedure = "1.001193",
				     .title = types[i % N(types)],
				     .package_path = "packages/x",
				     .signature = i % 4 ? "sealed" : "signed",
				     .text = text};
		/* Codes repeat across the run by design; a clash replaces the older. */
		int rc = sohoa_index_add(idx, &d);
		if (rc < 0 && rc != SOHOA_EEXISTS) {
			fprintf(stderr, "add: %s\n", sohoa_error_last());
			return -1;
		}
	}
	if (sohoa_index_batch_commit(idx) < 0)
		return -1;
	printf("loaded %zu documents in %.1f s\n", ndocs, (now_ms() - t0) / 1e3);
	free(text);
	return 0;
}

static void bench_search(sohoa_index *idx, const char *what, const char *query, size_t runs)
{
	double *ms = calloc(runs, sizeof *ms);
	size_t hits = 0;
	for (size_t i = 0; i < runs; i++) {
		sohoa_index_query q = {.text = query};
		sohoa_index_hits *h = NULL;
		double t = now_ms();
		if (sohoa_index_search(idx, &q, &h) < 0) {
			fprintf(stderr, "search: %s\n", sohoa_error_last());
			break;
		}
		ms[i] = now_ms() - t;
		hits += h->count;
		sohoa_index_hits_free(h);
	}
	report(what, ms, runs, hits);
	free(ms);
}

int main(int argc, char **argv)
{
	char path[4096], token[SOHOA_INDEX_TOKEN_LEN + 1];
	size_t ndocs = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000, runs = 1000;
	sohoa_index *idx = NULL;
	double *ms = calloc(20000, sizeof *ms);
	size_t hits = 0;
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: sohoa-index-bench STORE [N] [merge]\n");
		return 2;
	}
	if (sohoa_mkdir_p(argv[1]) < 0)
		return 2;
	snprintf(path, sizeof path, "%s/catalog.sqlite", argv[1]);
	if (sohoa_index_open(&idx, path) < 0) {
		fprintf(stderr, "%s\n", sohoa_error_last());
		return 2;
	}
	snprintf(path, sizeof path, "%s/bench-citizens.txt", argv[1]);
	if (access(path, F_OK) == 0)
		printf("reusing the catalog of %s (%zu documents)\n", argv[1], ndocs);
	else if (fill(idx, argv[1], ndocs) < 0) {
		fprintf(stderr, "fill failed: %s\n", sohoa_error_last());
		return 2;
	}
	if (argc > 3 && strcmp(argv[3], "merge") == 0) {
		double t0 = now_ms();
		int done = 0, steps = 0;
		while (!done) {
			if (sohoa_index_merge(idx, 0, &done) < 0) {
				fprintf(stderr, "merge: %s\n", sohoa_error_last());
				return 2;
			}
			steps++;
		}
		printf("merged the full-text index in %d steps, %.1f s\n", steps,
		       (now_ms() - t0) / 1e3);
	}
	if (sohoa_index_agency_add(idx, "bench", token) == 0) {
		snprintf(path, sizeof path, "%s/bench-token", argv[1]);
		if ((f = fopen(path, "w"))) {
			fprintf(f, "%s\n", token);
			fclose(f);
		}
	}
	for (size_t i = 0; i < 20000; i++) {
		char citizen[16];
		sohoa_index_hits *h = NULL;
		snprintf(citizen, sizeof citizen, "%012zu", 1000000000 + rnd() % (ndocs / 2 + 1));
		double t = now_ms();
		sohoa_index_lookup_citizen(idx, citizen, 0, &h);
		ms[i] = now_ms() - t;
		hits += h ? h->count : 0;
		sohoa_index_hits_free(h);
	}
	report("citizen lookup", ms, 20000, hits);
	bench_search(idx, "full text: rare word (khoáng)", "khoáng", runs);
	bench_search(idx, "full text: common word (đăng)", "đăng", runs / 4);
	bench_search(idx, "full text: phrase \"giấy phép\"", "\"giấy phép\"", runs / 4);
	bench_search(idx, "full text: unaccented (nguyen van)", "nguyen van", runs / 4);
	bench_search(idx, "full text: name (Trần Thu Lan)", "Trần Thu Lan", runs / 4);
	free(ms);
	sohoa_index_close(idx);
	return 0;
}
