/* tests/ocr/test_syllable.c: ocr_word_plausible, the check that keeps a
 * faint word Tesseract was unsure of and drops a reading of noise — real
 * Vietnamese words in every case and with punctuation, numbers, readings of
 * seals and dust, and every word of the sample pages' ground truth. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr_int.h"

#define TRUTH SOHOA_SOURCE_DIR "/samples/truth"

static void test_vietnamese_words_are_plausible(void **state)
{
	(void)state;
	static const char *const words[] = {
		"Phó",       "đăng",
		"ký,",       "NGUYỄN",
		"nghiêng",   "quyết",
		"gì",        "khuya",
		"Đất",       "ở",
		"nhân:",     "cốt",
		"hươu",      "khuỷu",
		"oẳn",       "giặt",
		"(bà",       "“Đất”",
		"Chí-Minh",  "Hạnh.",
		"tháng",     "NHỤNG.",
		"24/2014",   "12.500",
		"07/3/2024", "hongnhung.dinh@gmail.com",
		"Độc",       "xã",
		"thuyền",    "Ủy",
		"tỉnh;",     "ngoặc",
	};
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (!ocr_word_plausible(words[i]))
			fail_msg("\"%s\" is a Vietnamese word but was judged implausible",
				 words[i]);
}

static void test_readings_of_noise_are_not(void **state)
{
	(void)state;
	static const char *const readings[] = {
		"",
		"-",
		"—Ý—",
		"Thạeh",
		"tịcf",
		"SỞYTẾHÀNỘ",
		"qIU",
		"Šxðn\\",
		"MS",
		"xfịnh",
		"đât†heo",
		"hoàá",
		"q",
		"ngh",
		"ẻẻ",
		"s",
		"2#",
		"TPbš",
		"lj",
		"z7",
		"wÍ)",
		"\xff",
		"a\xcc\x81\xcc\x80",
		"\xcc\x81",
		"a@@b.c",
		"@gmail.com",
	};
	for (size_t i = 0; i < sizeof readings / sizeof *readings; i++)
		if (ocr_word_plausible(readings[i]))
			fail_msg("\"%s\" was judged a Vietnamese word", readings[i]);
}

/* Words of the ground truth of the committed sample pages: all but
 * abbreviations, e-mail addresses and the like are plausible. */
static void test_ground_truth_words_are_plausible(void **state)
{
	(void)state;
	DIR *top = opendir(TRUTH);
	struct dirent *d, *e;
	size_t words = 0, implausible = 0;

	assert_non_null(top);
	while ((d = readdir(top))) {
		if (d->d_name[0] == '.')
			continue;
		char *dir = tu_path(TRUTH, d->d_name);
		DIR *sub = opendir(dir);
		assert_non_null(sub);
		while ((e = readdir(sub))) {
			if (!strstr(e->d_name, ".txt"))
				continue;
			char *path = tu_path(dir, e->d_name), *text = NULL, *save = NULL;
			size_t len = 0, syllables = 0, bare = 0;
			assert_int_equal(sohoa_file_read(&text, &len, path, 1 << 20), 0);
			for (char *w = strtok_r(text, " \t\r\n", &save); w;
			     w = strtok_r(NULL, " \t\r\n", &save)) {
				int b = ocr_bare_syllable(w);
				syllables += b >= 0;
				bare += b == 1;
				words++;
				implausible += !ocr_word_plausible(w) && strcmp(w, "-");
				char *v = ocr_vietnamese_letters(w);
				if (v)
					fail_msg("%s: \"%s\" became \"%s\"", path, w, v);
			}
			/* Pages read right are never flagged for lost marks. */
			if (syllables >= SOHOA_OCR_BARE_MIN &&
			    (double)bare > SOHOA_OCR_BARE_MAX * (double)syllables)
				fail_msg("%s: %zu of %zu syllables bare", path, bare, syllables);
			free(text);
			free(path);
		}
		closedir(sub);
		free(dir);
	}
	closedir(top);
	print_message("%zu of %zu ground-truth words implausible\n", implausible, words);
	assert_true(words > 3000);
	/* 57 of 4331 when written: abbreviations ("UBND", "TT"), document
	 * numbers ("43/2014/NĐ-CP"), e-mail addresses, "m²". */
	assert_true(implausible * 50 < words);
}

static void test_bare_syllables_are_told_from_marked_ones(void **state)
{
	(void)state;
	static const char *const bare[] = {"cho", "Nam", "(nhan", "dinh,", "NHAN", "tin."};
	static const char *const marked[] = {"của", "đi", "Đất", "NGUYỄN", "(bà", "ơn,"};
	static const char *const neither[] = {"a", "2015", "UBND", "file", "12.500", "", "xfinh"};
	for (size_t i = 0; i < sizeof bare / sizeof *bare; i++)
		if (ocr_bare_syllable(bare[i]) != 1)
			fail_msg("\"%s\" is a bare syllable", bare[i]);
	for (size_t i = 0; i < sizeof marked / sizeof *marked; i++)
		if (ocr_bare_syllable(marked[i]) != 0)
			fail_msg("\"%s\" is a syllable with marks", marked[i]);
	for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
		if (ocr_bare_syllable(neither[i]) != -1)
			fail_msg("\"%s\" is no syllable of two letters", neither[i]);
}

/* A second reading may change a word's marks, never its letters. */
static void test_same_letters_compare_words_without_their_marks(void **state)
{
	(void)state;
	assert_true(ocr_same_letters("Ủy", "Uy"));
	assert_true(ocr_same_letters("đổi,", "đối,"));
	assert_true(ocr_same_letters("NGUYỄN", "NGUYÊN"));
	assert_true(ocr_same_letters("người", "ngươi"));
	assert_false(ocr_same_letters("Đinh", "Dinh")); /* đ is a letter */
	assert_false(ocr_same_letters("Ủy", "Ủ"));
	assert_false(ocr_same_letters("Ủy,", "Ủy"));
	assert_false(ocr_same_letters("Uy", "uy"));
	assert_false(ocr_same_letters("\xff", "\xff")); /* not UTF-8 */
}

/* What a page drops as noise: junk read from strokes and dust, at low
 * confidence. A document number or code under dust is read just as unsure
 * (these at 0-19 on dev pages) but nearly right, and is kept. */
static void test_unsure_numbers_are_kept_and_junk_dropped(void **state)
{
	(void)state;
	static const char *const junk[] = {"K1£€", "V#W*##Ƒ-ÿấ2", "..?**,;55#œá:", "\\#9-",
					   "d733", "â9®.",        "1-a@vdÙ",       "_“Ƒ†3"};
	static const char *const kept[] = {"24/2014/TT-BTNMT", "43/2014/NĐ-CP", "61/2018/NĐ-CP",
					   "000:05.31.H31-240115-0103", "03†072003381'"};
	for (size_t i = 0; i < sizeof junk / sizeof *junk; i++)
		if (!ocr_is_noise(junk[i], 10))
			fail_msg("\"%s\" at 10 is not noise", junk[i]);
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
		if (ocr_is_noise(kept[i], 0))
			fail_msg("\"%s\" at 0 is noise", kept[i]);
	assert_true(ocr_is_noise("—", 40));   /* no letter or digit */
	assert_false(ocr_is_noise("Phó", 0)); /* a word */
}

/* The distance between two readings counts letters, not bytes: a changed
 * mark is one edit, a dropped speck or a space put back another. */
static void test_word_distance_counts_letters(void **state)
{
	(void)state;
	assert_int_equal(ocr_word_distance("bổsung", "bổsung"), 0);
	assert_int_equal(ocr_word_distance("bổsung", "bổ sung"), 1);
	assert_int_equal(ocr_word_distance("Quyền", "Quyên"), 1);
	assert_int_equal(ocr_word_distance("nhâtï", "nhân"), 2);
	assert_int_equal(ocr_word_distance("ĐinhVMănHùng", "Đinh Văn Hùng"), 3);
	assert_int_equal(ocr_word_distance("", "tờ"), 2);
	assert_int_equal(ocr_word_distance("\xff", "a"), 128); /* not UTF-8 */
}

/* Dust over a letter is read as a mark Vietnamese never puts there, or as
 * a letter of another alphabet: each goes back to the Vietnamese letter. */
static void test_foreign_marks_and_letters_become_vietnamese(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"ñăm", "năm"},   {"NGUYỄÑ", "NGUYỄN"}, {"dâñ", "dân"},  {"Thïết", "Thiết"},
		{"Giäy", "Giay"}, {"Tröng", "Trong"},   {"Šố", "Số"},    {"ðại", "đại"},
		{"ÐỊNH", "ĐỊNH"}, {"1Ø", "10"},         {"ØNG", "ONG"},  {"søố", "soố"},
		{"ṃột", "một"},   {"c̀ủa", "của"},       {"Ghˆị", "Ghị"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = ocr_vietnamese_letters(cases[i][0]);
		if (!got || strcmp(got, cases[i][1]))
			fail_msg("\"%s\" became \"%s\", not \"%s\"", cases[i][0],
				 got ? got : "(same)", cases[i][1]);
		free(got);
	}
	/* Vietnamese letters stay, in either case and with every mark. */
	static const char *const same[] = {"Nguyễn",
					   "ĐƯỜNG",
					   "quyền",
					   "khuỷu",
					   "Ủy",
					   "ngoặt",
					   "m²",
					   "43/2014/NĐ-CP",
					   "dichvucong.gov.vn",
					   "(Ký,",
					   "—"};
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		char *got = ocr_vietnamese_letters(same[i]);
		if (got)
			fail_msg("\"%s\" became \"%s\"", same[i], got);
	}
}

/* A reading far longer than any word (a rule or a row of dots read as
 * letters) is no syllable and has no letters to compare: it is turned down
 * without writing past a buffer (found by fuzz/fuzz_ocr_words). */
static void test_overlong_readings_are_turned_down(void **state)
{
	(void)state;
	char w[600];
	for (int len = 30; len < (int)sizeof w; len += 97) {
		memset(w, 'a', (size_t)len);
		w[len] = '\0';
		assert_false(ocr_word_plausible(w));
		if (len > 255) /* past the letters compared */
			assert_false(ocr_same_letters(w, w));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vietnamese_words_are_plausible),
		cmocka_unit_test(test_readings_of_noise_are_not),
		cmocka_unit_test(test_ground_truth_words_are_plausible),
		cmocka_unit_test(test_bare_syllables_are_told_from_marked_ones),
		cmocka_unit_test(test_same_letters_compare_words_without_their_marks),
		cmocka_unit_test(test_word_distance_counts_letters),
		cmocka_unit_test(test_unsure_numbers_are_kept_and_junk_dropped),
		cmocka_unit_test(test_foreign_marks_and_letters_become_vietnamese),
		cmocka_unit_test(test_overlong_readings_are_turned_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
