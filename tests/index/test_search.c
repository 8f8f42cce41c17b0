/* tests/index/test_search.c: documents added to a real catalog are found with
 * Vietnamese folding both ways (tones, đ/Đ), exact spellings first, by phrase,
 * prefix and filters, with marked snippets; a new version replaces the old. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "index/internal.h" /* common_min_docs, to test common words on a small catalog */

typedef struct {
	char *dir;
	sohoa_index *idx;
} fixture;

static sohoa_index_doc doc(const char *code, int no, const char *citizen, const char *agency,
			   const char *type, const char *date, const char *text)
{
	return (sohoa_index_doc){.dossier_code = code,
				 .doc_no = no,
				 .version = 1,
				 .citizen_id = citizen,
				 .applicant = "Trần Thị Bình",
				 .agency = agency,
				 .doc_type = type,
				 .notation = "12/GKS",
				 .issue_date = date,
				 .procedure = "1.001193",
				 .title = type,
				 .package_path = "packages/x",
				 .signature = "sealed",
				 .text = text};
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	char *path;
	f->dir = tu_mkdtemp();
	path = tu_path(f->dir, "catalog.sqlite");
	assert_int_equal(sohoa_index_open(&f->idx, path), 0);
	free(path);
	sohoa_index_doc docs[] = {
		doc("000.00.12.H29-231122-0001", 1, "001088012345", "H29", "Giấy khai sinh",
		    "2023-11-22",
		    "Họ và tên: Nguyễn Văn An. Sinh ngày 01 tháng 02 năm 2020 tại Hà Nội. "
		    "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Phúc Xá."),
		doc("000.00.12.H29-231122-0002", 1, "001088099999", "H29",
		    "Giấy chứng nhận kết hôn", "2023-05-10",
		    "Chứng nhận anh Lê Minh Đức và chị Phạm Thu Hà đã đăng ký kết hôn."),
		/* The same words recognised without their marks (a poor scan). */
		doc("000.00.12.H30-230101-0003", 1, "001088012345", "H30", "Giấy khai sinh",
		    "2023-01-01", "Ho va ten: Nguyen Van An. Noi dang ky khai sinh: xa Dong Anh."),
		doc("000.00.12.H30-230101-0004", 1, "001099000000", "H30", "Quyết định",
		    "2022-12-31",
		    "Quyết định về việc kết nạp thành viên mới; đăng ký hộ kinh doanh."),
	};
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++)
		if (sohoa_index_add(f->idx, &docs[i]) != 0)
			fail_msg("add %zu: %s", i, sohoa_error_last());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sohoa_index_close(f->idx);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static sohoa_index_hits *search(fixture *f, const char *text)
{
	sohoa_index_query q = {.text = text};
	sohoa_index_hits *h = NULL;
	if (sohoa_index_search(f->idx, &q, &h) != 0)
		fail_msg("search '%s': %s", text, sohoa_error_last());
	return h;
}

/* The dossier codes of the hits, space-separated, by their last 4 chars. */
static char *codes(const sohoa_index_hits *h)
{
	char *s = calloc(1, 5 * h->count + 1);
	for (size_t i = 0; i < h->count; i++) {
		strcat(s, i ? " " : "");
		strcat(s, h->hits[i].dossier_code + strlen(h->hits[i].dossier_code) - 4);
	}
	return s;
}

static void expect(fixture *f, const char *query, const char *want)
{
	sohoa_index_hits *h = search(f, query);
	char *got = codes(h);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' found [%s], want [%s]", query, got, want);
	free(got);
	sohoa_index_hits_free(h);
}

static void test_fold_drops_marks_and_d_stroke_one_char_for_one(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"Nguyễn Văn An", "nguyen van an"},
		{"ĐĂNG KÝ", "dang ky"},
		{"đường Điện Biên Phủ", "duong dien bien phu"},
		{"Ủy ban Nhân dân", "uy ban nhan dan"},
		{"plain ascii 123", "plain ascii 123"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *out = NULL;
		assert_int_equal(sohoa_index_fold(&out, cases[i][0], strlen(cases[i][0])), 0);
		assert_string_equal(out, cases[i][1]);
		free(out);
	}
	char *out = (char *)1;
	assert_int_equal(sohoa_index_fold(&out, "a\xff", 2), SOHOA_EFORMAT);
	assert_null(out);
}

static void test_query_without_marks_finds_text_with_them(void **state)
{
	fixture *f = *state;
	expect(f, "nguyen van an", "0003 0001"); /* the plain spelling first */
	expect(f, "phuc xa", "0001");
	expect(f, "duc", "0002"); /* đ in the text */
	expect(f, "ket hon", "0002");
}

static void test_query_with_marks_finds_text_without_them(void **state)
{
	fixture *f = *state;
	expect(f, "Đông Anh", "0003"); /* Đ in the query, plain d in the text */
	expect(f, "ĐĂNG KÝ khai sinh", "0001 0003");
}

static void test_exact_spelling_ranks_first(void **state)
{
	fixture *f = *state;
	expect(f, "Nguyễn Văn An", "0001 0003");
	expect(f, "Nguyen Van An", "0003 0001");
	expect(f, "đăng ký khai sinh", "0001 0003");
	expect(f, "dang ky khai sinh", "0003 0001");
}

static void test_phrase_and_prefix_queries(void **state)
{
	fixture *f = *state;
	expect(f, "\"dang ky ket hon\"", "0002");
	expect(f, "\"ket hon dang ky\"", "");
	expect(f, "ket", "0002 0004"); /* kết (hôn) and kết (nạp) */
	expect(f, "khai sin*", "0003 0001");
	expect(f, "Nguyễ*", "0001 0003");
	expect(f, "\"ho kinh\"*", "0004");
	expect(f, "hon OR doanh", "");                  /* OR is a word here, not an operator */
	expect(f, "\" * ( ) :", "0001 0002 0003 0004"); /* no word: lists everything */
}

static void test_filters_narrow_the_results(void **state)
{
	fixture *f = *state;
	sohoa_index_hits *h = NULL;
	sohoa_index_query q = {.text = "khai sinh", .agency = "H30"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	assert_int_equal(h->count, 1);
	assert_string_equal(h->hits[0].agency, "H30");
	sohoa_index_hits_free(h);
	q = (sohoa_index_query){.text = "dang ky", .from = "2023-01-01", .to = "2023-06-30"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	char *got = codes(h);
	assert_string_equal(got, "0003 0002"); /* plain spelling first */
	free(got);
	sohoa_index_hits_free(h);
	q = (sohoa_index_query){
		.text = "an", .citizen_id = "001088012345", .doc_type = "Giấy khai sinh"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	assert_int_equal(h->count, 2);
	sohoa_index_hits_free(h);
	q = (sohoa_index_query){.agency = "H29", .limit = 1}; /* no words: newest first */
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	assert_int_equal(h->count, 1);
	assert_string_equal(h->hits[0].issue_date, "2023-11-22");
	sohoa_index_hits_free(h);
	q = (sohoa_index_query){.text = "x", .from = "2023-02-30"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), SOHOA_EINVAL);
	assert_null(h);
	assert_non_null(strstr(sohoa_error_last(), "2023-02-30"));
}

static void test_snippet_marks_the_match_in_the_original_spelling(void **state)
{
	fixture *f = *state;
	sohoa_index_hits *h = search(f, "phuc xa");
	assert_int_equal(h->count, 1);
	if (!strstr(h->hits[0].snippet, "«Phúc» «Xá»"))
		fail_msg("snippet '%s'", h->hits[0].snippet);
	sohoa_index_hits_free(h);
	sohoa_index_query q = {.text = "tran thi", .mark_open = "<b>", .mark_close = "</b>"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	assert_int_equal(h->count, 4); /* the applicant's name, a field */
	if (!strstr(h->hits[0].snippet, "<b>Trần</b> <b>Thị</b> Bình"))
		fail_msg("snippet '%s'", h->hits[0].snippet);
	sohoa_index_hits_free(h);
}

static void test_long_text_snippet_is_cut_around_the_match(void **state)
{
	fixture *f = *state;
	char *text = NULL;
	assert_true(asprintf(&text, "%0500d trích lục hộ tịch %0500d", 0, 0) > 0);
	sohoa_index_doc d =
		doc("000.00.12.H29-231122-0009", 1, NULL, "H29", "Trích lục", "2023-11-23", text);
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	sohoa_index_hits *h = search(f, "trich luc ho tich");
	assert_int_equal(h->count, 1);
	const char *s = h->hits[0].snippet;
	assert_true(strlen(s) < 300);
	assert_non_null(strstr(s, "«trích» «lục» «hộ» «tịch»"));
	assert_true(strncmp(s, "…", 3) == 0);
	sohoa_index_hits_free(h);
	free(text);
}

static void test_new_version_replaces_the_superseded_one(void **state)
{
	fixture *f = *state;
	sohoa_index_doc d = doc("000.00.12.H29-231122-0001", 1, "001088012345", "H29",
				"Giấy khai sinh", "2023-11-24", "Bản cấp lại: Nguyễn Văn Anh.");
	d.version = 2;
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	expect(f, "phuc xa", "");
	expect(f, "cap lai", "0001");
	sohoa_index_hits *h = NULL;
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, "000.00.12.H29-231122-0001", 0, &h), 0);
	assert_int_equal(h->count, 1);
	assert_int_equal(h->hits[0].version, 2);
	sohoa_index_hits_free(h);
	d.version = 1; /* an older version does not come back */
	assert_int_equal(sohoa_index_add(f->idx, &d), SOHOA_EEXISTS);
	assert_non_null(strstr(sohoa_error_last(), "000.00.12.H29-231122-0001"));
	expect(f, "cap lai", "0001");
}

static void test_trim_drops_documents_a_new_version_no_longer_has(void **state)
{
	fixture *f = *state;
	const char *code = "000.00.12.H29-231122-0001";
	sohoa_index_doc d = doc(code, 2, "001088012345", "H29", "Tờ khai", "2023-11-22",
				"Tờ khai đăng ký khai sinh, bản thứ hai.");
	sohoa_index_hits *h = NULL;

	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	/* Version 2 has one document: inside a batch, document 2 goes. */
	d = doc(code, 1, "001088012345", "H29", "Giấy khai sinh", "2023-11-24", "Cấp lại.");
	d.version = 2;
	assert_int_equal(sohoa_index_batch_begin(f->idx), 0);
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	assert_int_equal(sohoa_index_trim(f->idx, code, 1), 0);
	assert_int_equal(sohoa_index_batch_commit(f->idx), 0);
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, code, 0, &h), 0);
	assert_int_equal(h->count, 1);
	assert_int_equal(h->hits[0].version, 2);
	sohoa_index_hits_free(h);
	expect(f, "ban thu hai", "");
	/* Nothing to remove, on its own: success; a bad code is refused. */
	assert_int_equal(sohoa_index_trim(f->idx, code, 1), 0);
	assert_int_equal(sohoa_index_trim(f->idx, "../etc", 0), SOHOA_EINVAL);
	/* Other dossiers are untouched. */
	expect(f, "ket hon", "0002");
}

static void test_lookup_by_citizen_and_dossier(void **state)
{
	fixture *f = *state;
	sohoa_index_hits *h = NULL;
	assert_int_equal(sohoa_index_lookup_citizen(f->idx, "001088012345", 0, &h), 0);
	char *got = codes(h);
	assert_string_equal(got, "0001 0003"); /* newest first */
	free(got);
	assert_string_equal(h->hits[0].signature, "sealed");
	assert_string_equal(h->hits[0].package_path, "packages/x");
	assert_null(h->hits[0].snippet);
	sohoa_index_hits_free(h);
	assert_int_equal(sohoa_index_lookup_citizen(f->idx, "000000000000", 0, &h), 0);
	assert_int_equal(h->count, 0);
	sohoa_index_hits_free(h);
	assert_int_equal(sohoa_index_lookup_citizen(f->idx, "12345", 0, &h), SOHOA_EINVAL);
	assert_non_null(strstr(sohoa_error_last(), "'12345'"));
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, "../etc", 0, &h), SOHOA_EINVAL);
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, "000.00.12.H29-231122-0002", 0, &h), 0);
	assert_int_equal(h->count, 1);
	sohoa_index_hits_free(h);
}

static void test_signature_status_follows_a_leaders_signature(void **state)
{
	fixture *f = *state;
	sohoa_index_hits *h = NULL;
	sohoa_index_doc d = doc("000.00.12.H29-231122-0009", 1, "001088077777", "H29",
				"Giấy khai sinh", "2023-11-22", "Họ và tên: Đỗ Văn Bảy.");
	d.package_path = "packages/000.00.12.H29-231122-0009";
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	assert_int_equal(sohoa_index_set_signature(f->idx, d.package_path, "leader-signed"), 0);
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, d.dossier_code, 0, &h), 0);
	assert_int_equal(h->count, 1);
	assert_string_equal(h->hits[0].signature, "leader-signed");
	sohoa_index_hits_free(h);
	/* Other packages keep theirs. */
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, "000.00.12.H29-231122-0002", 0, &h), 0);
	assert_string_equal(h->hits[0].signature, "sealed");
	sohoa_index_hits_free(h);
	/* A package not indexed, or no status, is an error naming the package. */
	assert_int_equal(sohoa_index_set_signature(f->idx, "packages/none", "leader-signed"),
			 SOHOA_ENOTFOUND);
	assert_non_null(strstr(sohoa_error_last(), "packages/none"));
	assert_int_equal(sohoa_index_set_signature(f->idx, d.package_path, ""), SOHOA_EINVAL);
}

static void test_lookup_returns_every_document_of_a_busy_citizen(void **state)
{
	fixture *f = *state;
	sohoa_index_hits *h = NULL;
	assert_int_equal(sohoa_index_batch_begin(f->idx), 0);
	for (int i = 1; i <= 40; i++) {
		sohoa_index_doc d = doc("000.00.12.H29-231122-0100", i, "001077000001", "H29",
					"Công văn", "2023-01-01", "văn bản");
		assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	}
	assert_int_equal(sohoa_index_batch_commit(f->idx), 0);
	assert_int_equal(sohoa_index_lookup_citizen(f->idx, "001077000001", 0, &h), 0);
	assert_int_equal(h->count, 40);
	sohoa_index_hits_free(h);
	assert_int_equal(sohoa_index_lookup_dossier(f->idx, "000.00.12.H29-231122-0100", 33, &h),
			 0);
	assert_int_equal(h->count, 33);
	for (size_t i = 0; i < h->count; i++)
		assert_int_equal(h->hits[i].doc_no, (int)i + 1);
	sohoa_index_hits_free(h);
}

static void test_common_words_list_newest_first_exact_spelling_first(void **state)
{
	fixture *f = *state;
	sohoa_index_doc d = doc("000.00.12.H29-231122-0006", 1, NULL, "H29", "Công văn",
				"2023-01-01", "ban sao khong dau");
	d.applicant = "Tran Thi Binh"; /* typed without marks */
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	f->idx->common_min_docs = 0; /* every catalog counts as large */
	/* Every document holds the name: newest first, the typed spelling first. */
	expect(f, "Trần", "0004 0003 0002 0001 0006");
	expect(f, "tran", "0006 0004 0003 0002 0001");
	sohoa_index_hits *h = search(f, "tran thi");
	assert_true(h->hits[0].score == 0.0);
	if (!strstr(h->hits[1].snippet, "«Trần» «Thị»"))
		fail_msg("snippet '%s'", h->hits[1].snippet);
	sohoa_index_hits_free(h);
	/* A rarer word in the query keeps BM25. */
	h = search(f, "tran phuc");
	assert_int_equal(h->count, 1);
	assert_true(h->hits[0].score < 0.0);
	sohoa_index_hits_free(h);
	sohoa_index_query q = {.text = "tran", .agency = "H30"};
	assert_int_equal(sohoa_index_search(f->idx, &q, &h), 0);
	char *got = codes(h);
	assert_string_equal(got, "0004 0003");
	free(got);
	sohoa_index_hits_free(h);
}

static void test_common_words_need_a_catalog_of_common_min_docs(void **state)
{
	fixture *f = *state;
	sohoa_index_doc d = doc("000.00.12.H30-230101-0004", 1, "001099000000", "H30", "Quyết định",
				"2023-01-02", "Trần Thị Bình, bản thay thế.");
	d.version = 2; /* replaces a document: the catalog still holds 4 */
	assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	f->idx->common_min_docs = 4;
	sohoa_index_hits *h = search(f, "tran thi");
	assert_int_equal(h->count, 4);
	assert_true(h->hits[0].score == 0.0); /* 4 documents: newest first */
	sohoa_index_hits_free(h);
	f->idx->common_min_docs = 5;
	h = search(f, "tran thi");
	assert_true(h->hits[0].score < 0.0); /* fewer than 5: BM25 */
	sohoa_index_hits_free(h);
}

static void test_query_matching_more_than_max_ranked_lists_newest_first(void **state)
{
	fixture *f = *state;
	f->idx->max_ranked = 2;
	expect(f, "khai sinh", "0003 0001"); /* 2 matches: still BM25 */
	sohoa_index_hits *h = search(f, "khai sinh");
	assert_true(h->hits[0].score < 0.0);
	sohoa_index_hits_free(h);
	/* 4 matches: the typed spelling first, then newest first, score 0. */
	expect(f, "dang ky", "0003 0004 0002 0001");
	expect(f, "đăng ký", "0004 0002 0001 0003");
	h = search(f, "dang ky");
	assert_true(h->hits[0].score == 0.0);
	if (!strstr(h->hits[1].snippet, "«đăng» «ký»"))
		fail_msg("snippet '%s'", h->hits[1].snippet);
	sohoa_index_hits_free(h);
}

static void test_add_refuses_bad_fields_naming_them(void **state)
{
	fixture *f = *state;
	sohoa_index_doc d = doc("000.00.12.H29-231122-0005", 1, "12ab", "H29", "x", NULL, "t");
	assert_int_equal(sohoa_index_add(f->idx, &d), SOHOA_EINVAL);
	assert_non_null(strstr(sohoa_error_last(), "12ab"));
	d = doc("000.00.12.H29-231122-0005", 1, NULL, "H29", "x", "22/11/2023", "t");
	assert_int_equal(sohoa_index_add(f->idx, &d), SOHOA_EINVAL);
	assert_non_null(strstr(sohoa_error_last(), "22/11/2023"));
	d = doc("000.00.12.H29-231122-0005", 0, NULL, "H29", "x", NULL, "t");
	assert_int_equal(sohoa_index_add(f->idx, &d), SOHOA_EINVAL);
	d = doc("000.00.12.H29-231122-0005", 1, NULL, "H29", "x", NULL, "bad \xc3");
	assert_int_equal(sohoa_index_add(f->idx, &d), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "000.00.12.H29-231122-0005"));
	expect(f, "bad", "");
}

/* The hits as JSON, scores included. */
static char *h2json(const sohoa_index_hits *h)
{
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(sohoa_index_json(&buf, &len, h), 0);
	return buf;
}

static void test_json_in_a_buffer_is_the_json_written_to_a_file(void **state)
{
	(void)state;
	char tricky[] = "q\"uote\\ back\nline\ttab\r\x01\x1f Nguyễn «Văn»";
	sohoa_index_hit h[2] = {{0}};
	char *strs[] = {tricky, "", "001088012345", "Trần Thị Bình"};
	for (int i = 0; i < 2; i++) {
		h[i] = (sohoa_index_hit){.dossier_code = strs[i],
					 .doc_no = 3,
					 .version = 2,
					 .superseded = i,
					 .citizen_id = strs[2],
					 .applicant = strs[3],
					 .agency = strs[i],
					 .doc_type = tricky,
					 .notation = strs[1],
					 .issue_date = strs[1],
					 .procedure = strs[1],
					 .title = tricky,
					 .package_path = strs[1],
					 .signature = strs[1],
					 .score = -12.345678901};
	}
	h[1].snippet = tricky;
	sohoa_index_hits hits = {.count = 2, .hits = h}, none = {0};
	const sohoa_index_hits *cases[] = {&hits, &none};
	for (int i = 0; i < 2; i++) {
		char *file = NULL, *buf = NULL;
		size_t file_len = 0, len = 0;
		FILE *f = open_memstream(&file, &file_len);
		sohoa_index_write_json(f, cases[i]);
		fclose(f);
		assert_int_equal(sohoa_index_json(&buf, &len, cases[i]), 0);
		assert_int_equal(len, file_len);
		assert_int_equal(strlen(buf), len);
		assert_string_equal(buf, file);
		if (i == 0)
			assert_non_null(strstr(buf, "\"q\\\"uote\\\\ back\\nline\\ttab\\r"
						    "\\u0001\\u001f Nguyễn «Văn»\""));
		else
			assert_string_equal(buf, "{\"count\":0,\"results\":[]}\n");
		free(file);
		free(buf);
	}
}

static void test_merge_steps_end_in_one_segment_and_change_no_result(void **state)
{
	fixture *f = *state;
	const char *queries[] = {"khai sinh", "nguyen van an", "\"đăng ký\"", "kết*", ""};
	char *before[5] = {0};
	int done = 0, steps = 0;

	/* More segments: each committed add writes one, and FTS5 merges them
	 * four by four on its own (18 leave three). */
	for (int i = 0; i < 14; i++) {
		char code[64];
		snprintf(code, sizeof code, "000.00.12.H31-231122-%04d", i);
		sohoa_index_doc d = doc(code, 1, "001088077777", "H31", "Công văn", "2021-01-01",
					"Công văn số ba về việc đăng ký kết hôn.");
		assert_int_equal(sohoa_index_add(f->idx, &d), 0);
	}
	for (int q = 0; q < 5; q++) {
		sohoa_index_query sq = {.text = queries[q], .limit = 100};
		sohoa_index_hits *h = NULL;
		assert_int_equal(sohoa_index_search(f->idx, &sq, &h), 0);
		before[q] = h2json(h);
		sohoa_index_hits_free(h);
	}
	while (!done && steps < 100) {
		assert_int_equal(sohoa_index_merge(f->idx, 2, &done), 0);
		steps++;
	}
	assert_true(done);
	assert_true(steps > 1); /* the first step found segments to merge */
	assert_int_equal(sohoa_index_merge(f->idx, 0, &done), 0);
	assert_true(done); /* one segment: nothing left */
	for (int q = 0; q < 5; q++) {
		sohoa_index_query sq = {.text = queries[q], .limit = 100};
		sohoa_index_hits *h = NULL;
		assert_int_equal(sohoa_index_search(f->idx, &sq, &h), 0);
		char *after = h2json(h);
		assert_string_equal(after, before[q]);
		free(after);
		free(before[q]);
		sohoa_index_hits_free(h);
	}
}

static void test_batch_adds_commit_together_and_a_bad_one_alone_fails(void **state)
{
	fixture *f = *state;
	sohoa_index_doc good = doc("000.00.12.H29-231122-0007", 1, NULL, "H29", "Tờ khai",
				   "2023-11-25", "tờ khai đăng ký thường trú");
	sohoa_index_doc bad = good;
	bad.doc_no = 2;
	bad.text = "hỏng \xc3";
	assert_int_equal(sohoa_index_batch_begin(f->idx), 0);
	assert_int_equal(sohoa_index_add(f->idx, &good), 0);
	assert_int_equal(sohoa_index_add(f->idx, &bad), SOHOA_EFORMAT);
	assert_int_equal(sohoa_index_batch_commit(f->idx), 0);
	expect(f, "thuong tru", "0007");
	assert_int_equal(sohoa_index_batch_begin(f->idx), 0);
	good.dossier_code = "000.00.12.H29-231122-0008";
	assert_int_equal(sohoa_index_add(f->idx, &good), 0);
	sohoa_index_batch_rollback(f->idx);
	expect(f, "thuong tru", "0007");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_drops_marks_and_d_stroke_one_char_for_one),
		cmocka_unit_test(test_json_in_a_buffer_is_the_json_written_to_a_file),
		cmocka_unit_test_setup_teardown(
			test_merge_steps_end_in_one_segment_and_change_no_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_without_marks_finds_text_with_them,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_query_with_marks_finds_text_without_them,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_exact_spelling_ranks_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_phrase_and_prefix_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_narrow_the_results, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_snippet_marks_the_match_in_the_original_spelling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_text_snippet_is_cut_around_the_match,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_version_replaces_the_superseded_one, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_trim_drops_documents_a_new_version_no_longer_has, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signature_status_follows_a_leaders_signature,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup_by_citizen_and_dossier, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_common_words_need_a_catalog_of_common_min_docs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_query_matching_more_than_max_ranked_lists_newest_first, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_add_refuses_bad_fields_naming_them, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_common_words_list_newest_first_exact_spelling_first, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_lookup_returns_every_document_of_a_busy_citizen, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_batch_adds_commit_together_and_a_bad_one_alone_fails, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
