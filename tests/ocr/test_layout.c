/* tests/ocr/test_layout.c: the plain text of a recognised page (ocr/layout.c)
 * — a full stop followed on its line by a word in small letters is a speck,
 * not the end of a sentence, and goes; real stops, abbreviations, numbers
 * and stops at the end of a line stay, but not after a heading in capitals;
 * lines of fragments (a signature read as text) go; words run together are
 * split. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "ocr/ocr_int.h"

/* A page of one block whose lines are the words of `lines`, one string per
 * line, words separated by single spaces, each read with confidence 99. */
static sohoa_ocr_page *page_of(const char *const *lines, size_t n)
{
	sohoa_ocr_page *p = calloc(1, sizeof *p);
	assert_non_null(p);
	p->words = calloc(64, sizeof *p->words);
	p->lines = calloc(n, sizeof *p->lines);
	assert_non_null(p->words);
	assert_non_null(p->lines);
	for (size_t i = 0; i < n; i++) {
		char *copy = strdup(lines[i]), *save = NULL;
		p->lines[i].first_word = p->word_count;
		for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
			assert_true(p->word_count < 64);
			p->words[p->word_count] = (sohoa_ocr_word){
				.text = strdup(w),
				.box = {10 * (int)p->word_count, 20 * (int)i, 8, 10},
				.confidence = 99.0f};
			p->word_count++;
			p->lines[i].word_count++;
		}
		free(copy);
	}
	p->line_count = n;
	return p;
}

static void test_stop_before_a_small_letter_goes(void **state)
{
	(void)state;
	const char *lines[] = {"Ủy. ban nhân. dân các phường.", "Kính gửi: đất. đai và ơn. ưu"};
	sohoa_ocr_page *p = page_of(lines, 2);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(p->text, "Ủy ban nhân dân các phường.\nKính gửi: đất đai và ơn ưu\n");
	sohoa_ocr_page_free(p);
}

static void test_real_stops_abbreviations_and_numbers_stay(void **state)
{
	(void)state;
	const char *lines[] = {"hành chính. Điều 5. Hiệu lực", "TP. Hồ Chí Minh, v.v. các",
			       "số 5. các mục 1.3. và năm 2023. nay", "Nơi nhận."};
	sohoa_ocr_page *p = page_of(lines, 4);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(p->text, "hành chính. Điều 5. Hiệu lực\nTP. Hồ Chí Minh, v.v. các\n"
				     "số 5. các mục 1.3. và năm 2023. nay\nNơi nhận.\n");
	sohoa_ocr_page_free(p);
}

/* A signature or a seal's rim read as a line of fragments goes, line and
 * words; faint headings, table cells of one unsure word, a surely read
 * dash and words run together stay, and the kept lines keep their words. */
static void test_lines_of_fragments_go(void **state)
{
	(void)state;
	const char *lines[] = {"NGƯỜI. ĐỠ", "SN X2,",       "m3;", "Ễ Ũ", "2024",         "œ®", "-",
			       "s v2",      "KIÊNCỦACHỦHỘ", "⁄",   "Ì",   "Võ Thanh Tùng"};
	const float conf[] = {19, 19, 39, 39, 82, 0, 0, 38, 43, 79, 52, 79, 46, 92, 2, 97, 97, 97};
	sohoa_ocr_page *p = page_of(lines, sizeof lines / sizeof *lines);
	assert_int_equal(p->word_count, sizeof conf / sizeof *conf);
	for (size_t i = 0; i < p->word_count; i++)
		p->words[i].confidence = conf[i];
	ocr_drop_noise_lines(p);
	assert_int_equal(p->line_count, 6);
	assert_int_equal(p->word_count, 9);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(p->text, "NGƯỜI. ĐỠ\nm3;\n2024\n-\nKIÊNCỦACHỦHỘ\nVõ Thanh Tùng\n");
	assert_true(p->words[p->lines[5].first_word].confidence == 97);
	sohoa_ocr_page_free(p);
}

/* A line of pieces under half the height of the page's words (marks or a
 * rule's stubs read as a line of their own over the letters) goes, and so
 * does a lone speck of a dash; a line of small letters and a dotted leader
 * stay. The page turned a quarter has its heights across its boxes. */
static void test_lines_of_crumbs_go(void **state)
{
	(void)state;
	const char *lines[] = {
		"Thời gian niêm yết", "“4 + ^2 - &", "năm 2023.", "mua ca", "..........", "-"};
	const int height[] = {40, 40, 40, 40, 14, 8, 19, 7, 4, 40, 42, 26, 26, 5, 5};
	for (int turned = 0; turned < 2; turned++) {
		sohoa_ocr_page *p = page_of(lines, sizeof lines / sizeof *lines);
		assert_int_equal(p->word_count, sizeof height / sizeof *height);
		p->rotation = turned ? 270 : 0;
		for (size_t i = 0; i < p->word_count; i++) {
			sohoa_box *b = &p->words[i].box;
			b->h = turned ? 30 : height[i];
			b->w = turned ? height[i] : 30;
		}
		ocr_drop_noise_lines(p);
		assert_int_equal(ocr_layout(p), 0);
		assert_string_equal(p->text, "Thời gian niêm yết\nnăm 2023.\nmua ca\n..........\n");
		sohoa_ocr_page_free(p);
	}
}

/* The text of a Vietnamese page of `lines` once its words are tidied
 * (ocr_tidy_words) is `want`. */
static void assert_tidied(const char *const *lines, size_t n, const char *want)
{
	sohoa_ocr_page *p = page_of(lines, n);
	ocr_tidy_words(p, 1);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(p->text, want);
	sohoa_ocr_page_free(p);
}

/* A speck before a word is read as a mark no word starts with; a speck
 * beside a stop doubles it. Both go; leaders, ellipses, quotes, brackets and
 * the stops inside numbers and codes stay. The comma or colon left then
 * parts the words it ran together. */
static void test_specks_read_as_punctuation_go(void **state)
{
	(void)state;
	const char *lines[] = {",Xác nhận 'TỜ KHAI .tin :Số", "phút,,ngày sơ:.01 Quận.,1 ’Nơi",
			       "...và ........ “Nơi (Ký, 1.320,0 4.1. v.v. -Lưu: ,"};
	assert_tidied(lines, 3,
		      "Xác nhận TỜ KHAI tin Số\nphút, ngày sơ: 01 Quận.1 Nơi\n"
		      "...và ........ “Nơi (Ký, 1.320,0 4.1. v.v. -Lưu: ,\n");
}

/* A decimal read with a stop for its comma ("86.4", "1.320.0") has its
 * comma back; section numbers ("4.2" starting a line, after "mục"), the
 * stops of thousands, of dates and of codes starting with 0 stay. */
static void test_decimal_commas_come_back(void **state)
{
	(void)state;
	const char *lines[] = {"lẻ 86.4 1.320.0 (245.6) 24.0; 2.015 4.2. 0.5",
			       "4.2 Rừng theo mục 4.2 ngày 12.5.2010 mã 000.22 3.12.5"};
	assert_tidied(lines, 2,
		      "lẻ 86,4 1.320,0 (245,6) 24,0; 2.015 4.2. 0,5\n"
		      "4.2 Rừng theo mục 4.2 ngày 12.5.2010 mã 000.22 3.12.5\n");
}

/* A syllable with a capital inside it is written small, capitalised or in
 * capitals, as its first letter and most of the others say; words that are
 * no syllable, or hold a slash or hyphen, keep their capitals. */
static void test_capitals_inside_a_syllable_go(void **state)
{
	(void)state;
	const char *lines[] = {"kHai pHường (nHân: saU, đÓI CHủ SaU MiNH",
			       "eKYC iPhone Xã/Phường/Thị TTr-TNMT Khai KHAI NĐ-CP"};
	assert_tidied(lines, 2,
		      "khai phường (nhân: sau, đói Chủ Sau MINH\n"
		      "eKYC iPhone Xã/Phường/Thị TTr-TNMT Khai KHAI NĐ-CP\n");
}

/* Only a Vietnamese page has its letters made Vietnamese. */
static void test_foreign_letters_stay_unless_vietnamese(void **state)
{
	(void)state;
	const char *lines[] = {"ñăm Tröng"};
	sohoa_ocr_page *p = page_of(lines, 1);
	ocr_tidy_words(p, 0);
	assert_string_equal(p->words[0].text, "ñăm");
	ocr_tidy_words(p, 1);
	assert_string_equal(p->words[0].text, "năm");
	assert_string_equal(p->words[1].text, "Trong");
	sohoa_ocr_page_free(p);
}

/* A letter read for a digit inside a number is the digit again; codes and
 * words with other letters, and runs without a digit, stay as read. */
static void test_letters_read_for_digits_go_back(void **state)
{
	(void)state;
	const char *lines[] = {"l7 0Ì I998 09O5, 17/0l/2024 2.0l5,5 (I2)",
			       "H31-24OI15 CT0I Ông IO I Bổ"};
	assert_tidied(lines, 2,
		      "17 01 1998 0905, 17/01/2024 2.015,5 (12)\nH31-240115 CT0I Ông IO I Bổ\n");
}

/* A line in capitals (a heading, a name) ends in no full stop or comma after
 * a syllable: a speck was read so. Abbreviations, Roman numerals, colons,
 * numbers and lines with small letters keep theirs. */
static void test_stops_after_a_heading_go(void **state)
{
	(void)state;
	const char *lines[] = {"SỞ Y TẾ HÀ NỘI.", "NGUYỄN VĂN AN,", "ĐINH VĂN HÙNG..",
			       "KT. GIÁM ĐỐC",    "VT, HT.",        "PHẦN VI.",
			       "XÁC NHẬN:",       "2023.",          "Hà Nội, ngày 15 tháng 5."};
	assert_tidied(lines, 9,
		      "SỞ Y TẾ HÀ NỘI\nNGUYỄN VĂN AN\nĐINH VĂN HÙNG\nKT. GIÁM ĐỐC\nVT, HT.\n"
		      "PHẦN VI.\nXÁC NHẬN:\n2023.\nHà Nội, ngày 15 tháng 5.\n");
}

/* A word of l's is a number ("l" in a table's column of storeys, "l." an
 * item's); so is "I" or "II" after a day, month or district word. Roman
 * numerals elsewhere stay. */
static void test_ones_read_as_letters_go_back(void **state)
{
	(void)state;
	const char *lines[] = {"thép l 1998 ngói ll l. (l) |", "ngày I tháng II Quận I",
			       "PHẦN II Mục I lò"};
	assert_tidied(lines, 3,
		      "thép 1 1998 ngói 11 1. (1) 1\nngày 1 tháng 11 Quận 1\n"
		      "PHẦN II Mục I lò\n");
}

/* "Nguyên" starting a name is Nguyễn (the model loses the tilde over the
 * circumflex); after a capitalised word ("Thái Nguyên", "Lê Nguyên Vũ"),
 * before a small word ("tài nguyên", "Nguyên đơn") or last, it stays. */
static void test_nguyen_starting_a_name_has_its_tilde(void **state)
{
	(void)state;
	const char *lines[] = {"cha: NGUYÊN VĂN AN", "Nguyên Thị Hoa, bà Nguyên Minh",
			       "tỉnh Thái Nguyên Lê Nguyên Vũ", "Nguyên đơn: tài nguyên Nguyên"};
	assert_tidied(lines, 4,
		      "cha: NGUYỄN VĂN AN\nNguyễn Thị Hoa, bà Nguyễn Minh\n"
		      "tỉnh Thái Nguyên Lê Nguyên Vũ\nNguyên đơn: tài nguyên Nguyên\n");
}

/* A number with a colon starting a line before a capitalised word is a
 * numbered item's ("3: Giới tính" was "3. Giới tính"); a colon elsewhere,
 * a time, a year's comma and a colon before a small word stay. */
static void test_item_numbers_read_with_a_colon_get_their_stop(void **state)
{
	(void)state;
	const char *lines[] = {"3: Giới tính: Nữ", "1.3: Địa chỉ", "Điều 1: Ông", "10:30 Họp",
			       "1968, Căn",        "2: số",        "4:"};
	assert_tidied(lines, 7,
		      "3. Giới tính: Nữ\n1.3. Địa chỉ\nĐiều 1: Ông\n10:30 Họp\n1968, Căn\n"
		      "2: số\n4:\n");
}

/* Words read with their confidence: "word@conf" (no "@": 99). */
static sohoa_ocr_page *page_with_confidence(const char *const *lines, size_t n)
{
	sohoa_ocr_page *p = page_of(lines, n);
	for (size_t i = 0; i < p->word_count; i++) {
		char *at = strchr(p->words[i].text, '@');
		if (at) {
			p->words[i].confidence = strtof(at + 1, NULL);
			*at = '\0';
		}
	}
	return p;
}

/* A word Tesseract was unsure of that pairs with neither neighbour takes
 * the one mark that makes it pair ("bố sung" → "bổ sung"), keeping its case
 * and punctuation; from confidence 96 only a mark that pairs it with both
 * neighbours ("thay đổi thông"). A word that is no syllable may have a
 * letter changed, added or taken out instead ("vớj" → "với", "têh" →
 * "tên"); a syllable may not ("tay đổi" stays). A word that pairs with one
 * neighbour takes a mark that pairs it with both when read below 90
 * ("làm thử tục" → "làm thủ tục"). Of two marks that pair as well, the
 * one that makes a dictionary word wins ("sử dụng", not the misspelling
 * "sư dụng" the web's bigrams hold). A sure word, a word that pairs as read, a
 * capitalised word inside a line read fairly surely (a name), a word with no neighbour and one
 * whose punctuation parts it from them stay. A neighbour with a dot below
 * and another mark counts like any other, whichever of the two Unicode puts
 * on first ("tộc" is "ọ" with a circumflex, "trợ" is "ơ" with a dot):
 * "Đân tộc" → "Dân tộc", "hô trợ" → "hỗ trợ". */
static void test_unsure_marks_are_mended_from_their_neighbours(void **state)
{
	(void)state;
	const char *lines[] = {"Tổ chúc@90 chính trị",
			       "THAY ĐỐI@80 THÔNG TIN",
			       "sửa đối,@70 bổ sung",
			       "(bố@60 sung)",
			       "(bố sung)",
			       "thay đối@97 thông tin",
			       "(bố@97 sung)",
			       "vớj@70 các",
			       "ghi họ têh@70",
			       "tay@70 đổi",
			       "làm thử@80 tục",
			       "làm thử@92 tục",
			       "quyền sứ@90 dụng",
			       "năm@50 sinh",
			       "ông Nguyễn Văn Hưởng@92",
			       "bố@60",
			       "để, bố,@60 sung",
			       "Đân@70 tộc",
			       "hô@70 trợ"};
	sohoa_ocr_page *p = page_with_confidence(lines, sizeof lines / sizeof *lines);
	ocr_tidy_words(p, 1);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(
		p->text,
		"Tổ chức chính trị\nTHAY ĐỔI THÔNG TIN\nsửa đổi, bổ sung\n"
		"(bổ sung)\n(bố sung)\nthay đổi thông tin\n(bố sung)\nvới "
		"các\nghi họ tên\ntay đổi\nlàm thủ tục\nlàm thử tục\nquyền sử dụng\nnăm sinh\n"
		"ông Nguyễn Văn Hưởng\nbố\nđể, bố, sung\nDân tộc\nhỗ trợ\n");
	sohoa_ocr_page_free(p);
}

/* Words the model ran together are split: after a comma or colon between
 * a small letter and a letter or digit ("Họ,chữ", "sơ:01"), and between
 * two syllables that Vietnamese sets side by side in a word that is no
 * syllable ("Dântộc", "VIỆTNAM"). Roman numerals, codes whose hyphen was
 * read as a colon ("QĐ:UBND"), numbers, times and e-mail addresses stay, and
 * so does a word that splits two ways. Each part takes its share of the
 * word's box, along the text: up the page as stored when it was turned 90°
 * to stand. */
static void test_words_run_together_are_split(void **state)
{
	(void)state;
	const char *lines[] = {"Giới tính: Nam Dântộc:Kinh Quốc tịch",
			       "Họ,chữ đệm, mã hồ sơ:01 VIỆTNAM",
			       "II. 10:30 QĐ:UBND 86,4 a.b@gmail,com"};
	sohoa_ocr_page *p = page_of(lines, 3);
	p->words[3].box = (sohoa_box){100, 0, 130, 10};
	ocr_tidy_words(p, 1);
	assert_int_equal(ocr_layout(p), 0);
	assert_string_equal(p->text, "Giới tính: Nam Dân tộc: Kinh Quốc tịch\n"
				     "Họ, chữ đệm, mã hồ sơ: 01 VIỆT NAM\n"
				     "II. 10:30 QĐ:UBND 86,4 a.b@gmail,com\n");
	/* "Dân tộc: Kinh", 13 code points over 130 px */
	assert_string_equal(p->words[4].text, "tộc:");
	assert_int_equal(p->words[3].box.x, 100);
	assert_int_equal(p->words[3].box.w, 30);
	assert_int_equal(p->words[4].box.x, 140);
	assert_int_equal(p->words[4].box.w, 40);
	assert_int_equal(p->words[5].box.x, 190);
	assert_int_equal(p->words[5].box.w, 40);
	sohoa_ocr_page_free(p);

	const char *turned[] = {"VIỆTNAM"};
	p = page_of(turned, 1);
	p->rotation = 90;
	p->words[0].box = (sohoa_box){0, 100, 10, 80};
	ocr_tidy_words(p, 1);
	assert_int_equal(p->word_count, 2);
	assert_int_equal(p->words[0].box.y, 140); /* "VIỆT", lower down */
	assert_int_equal(p->words[0].box.h, 40);
	assert_int_equal(p->words[1].box.y, 100);
	assert_int_equal(p->words[1].box.h, 30);
	sohoa_ocr_page_free(p);
}

/* The table knows the pairs of Vietnamese text, in order, and nothing else,
 * and which of them are words of the dictionary. */
static void test_syllable_pairs_are_known(void **state)
{
	(void)state;
	assert_int_equal(ocr_pair_known("thay", "đổi"), 2); /* a dictionary word */
	assert_int_equal(ocr_pair_known("sử", "dụng"), 2);
	assert_int_equal(ocr_pair_known("năm", "sinh"), 1); /* only in the bigrams */
	assert_int_equal(ocr_pair_known("sư", "dụng"), 1);
	assert_false(ocr_pair_known("thay", "đối"));
	assert_false(ocr_pair_known("sung", "bổ"));
	assert_false(ocr_pair_known("bổ", "xyzzy"));
	assert_false(ocr_pair_known("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capitals_inside_a_syllable_go),
		cmocka_unit_test(test_stop_before_a_small_letter_goes),
		cmocka_unit_test(test_real_stops_abbreviations_and_numbers_stay),
		cmocka_unit_test(test_lines_of_fragments_go),
		cmocka_unit_test(test_lines_of_crumbs_go),
		cmocka_unit_test(test_decimal_commas_come_back),
		cmocka_unit_test(test_specks_read_as_punctuation_go),
		cmocka_unit_test(test_foreign_letters_stay_unless_vietnamese),
		cmocka_unit_test(test_letters_read_for_digits_go_back),
		cmocka_unit_test(test_stops_after_a_heading_go),
		cmocka_unit_test(test_ones_read_as_letters_go_back),
		cmocka_unit_test(test_nguyen_starting_a_name_has_its_tilde),
		cmocka_unit_test(test_item_numbers_read_with_a_colon_get_their_stop),
		cmocka_unit_test(test_unsure_marks_are_mended_from_their_neighbours),
		cmocka_unit_test(test_words_run_together_are_split),
		cmocka_unit_test(test_syllable_pairs_are_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
