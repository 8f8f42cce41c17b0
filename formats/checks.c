/* formats/checks.c: the field checks the XSDs cannot make — real dates, the
 * dossier code, citizen ids against the province table, relative paths — and
 * the media type of a file from its extension. */
#include "formats/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The 63 province codes that start a citizen id (Circular 07/2016/TT-BCA,
 * amended by Circular 59/2021/TT-BCA). The one table of them in sohoa. */
static const struct {
	char code[4];
	const char *name;
} provinces[] = {
	{"001", "Hà Nội"},
	{"002", "Hà Giang"},
	{"004", "Cao Bằng"},
	{"006", "Bắc Kạn"},
	{"008", "Tuyên Quang"},
	{"010", "Lào Cai"},
	{"011", "Điện Biên"},
	{"012", "Lai Châu"},
	{"014", "Sơn La"},
	{"015", "Yên Bái"},
	{"017", "Hòa Bình"},
	{"019", "Thái Nguyên"},
	{"020", "Lạng Sơn"},
	{"022", "Quảng Ninh"},
	{"024", "Bắc Giang"},
	{"025", "Phú Thọ"},
	{"026", "Vĩnh Phúc"},
	{"027", "Bắc Ninh"},
	{"030", "Hải Dương"},
	{"031", "Hải Phòng"},
	{"033", "Hưng Yên"},
	{"034", "Thái Bình"},
	{"035", "Hà Nam"},
	{"036", "Nam Định"},
	{"037", "Ninh Bình"},
	{"038", "Thanh Hóa"},
	{"040", "Nghệ An"},
	{"042", "Hà Tĩnh"},
	{"044", "Quảng Bình"},
	{"045", "Quảng Trị"},
	{"046", "Thừa Thiên Huế"},
	{"048", "Đà Nẵng"},
	{"049", "Quảng Nam"},
	{"051", "Quảng Ngãi"},
	{"052", "Bình Định"},
	{"054", "Phú Yên"},
	{"056", "Khánh Hòa"},
	{"058", "Ninh Thuận"},
	{"060", "Bình Thuận"},
	{"062", "Kon Tum"},
	{"064", "Gia Lai"},
	{"066", "Đắk Lắk"},
	{"067", "Đắk Nông"},
	{"068", "Lâm Đồng"},
	{"070", "Bình Phước"},
	{"072", "Tây Ninh"},
	{"074", "Bình Dương"},
	{"075", "Đồng Nai"},
	{"077", "Bà Rịa - Vũng Tàu"},
	{"079", "Hồ Chí Minh"},
	{"080", "Long An"},
	{"082", "Tiền Giang"},
	{"083", "Bến Tre"},
	{"084", "Trà Vinh"},
	{"086", "Vĩnh Long"},
	{"087", "Đồng Tháp"},
	{"089", "An Giang"},
	{"091", "Kiên Giang"},
	{"092", "Cần Thơ"},
	{"093", "Hậu Giang"},
	{"094", "Sóc Trăng"},
	{"095", "Bạc Liêu"},
	{"096", "Cà Mau"},
};

const char *sohoa_formats_province_name(const char *code)
{
	if (!code || strlen(code) != 3)
		return NULL;
	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++)
		if (memcmp(provinces[i].code, code, 3) == 0)
			return provinces[i].name;
	return NULL;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

static int date_exists(int y, int m, int d)
{
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

int formats_parse_date(const char *s, int *y, int *m, int *d)
{
	if (strlen(s) < 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) ||
	    s[7] != '-' || !all_digits(s + 8, 2))
		return -1;
	*y = num(s, 4);
	*m = num(s + 5, 2);
	*d = num(s + 8, 2);
	return 0;
}

int sohoa_formats_check_date(const char *s)
{
	int y, m, d;
	if (strlen(s) != 10 || formats_parse_date(s, &y, &m, &d) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("'%s' is not a date YYYY-MM-DD"), s);
	if (!date_exists(y, m, d))
		return sohoa_error_set(SOHOA_EFORMAT, _("%s is not a real date"), s);
	return 0;
}

int sohoa_formats_check_datetime(const char *s)
{
	size_t n = strlen(s), i = 19;
	int y, m, d;

	if (n < 19 || formats_parse_date(s, &y, &m, &d) != 0 || s[10] != 'T' ||
	    !all_digits(s + 11, 2) || s[13] != ':' || !all_digits(s + 14, 2) || s[16] != ':' ||
	    !all_digits(s + 17, 2))
		goto bad;
	if (s[i] == '.') {
		size_t f = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f || i - f > 9)
			goto bad;
	}
	if (s[i] == 'Z' && i + 1 == n) {
		/* UTC */
	} else if ((s[i] == '+' || s[i] == '-') && n - i == 6 && all_digits(s + i + 1, 2) &&
		   s[i + 3] == ':' && all_digits(s + i + 4, 2)) {
		int oh = num(s + i + 1, 2), om = num(s + i + 4, 2);
		if (om > 59 || oh * 60 + om > 14 * 60)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: UTC offset out of range"), s);
	} else {
		if (i == n)
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("%s: time needs a UTC offset (+07:00 or Z)"), s);
		goto bad;
	}
	if (!date_exists(y, m, d))
		return sohoa_error_set(SOHOA_EFORMAT, _("%.10s is not a real date"), s);
	if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59 || num(s + 17, 2) > 59)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s is not a real time of day"), s);
	return 0;
bad:
	return sohoa_error_set(SOHOA_EFORMAT,
			       _("'%s' is not an ISO 8601 time YYYY-MM-DDThh:mm:ss+hh:mm"), s);
}

/* NNN.NN.NN.LNN: three groups of digits or capitals, then a capital and two
 * digits (organ identifiers of Decision 20/2020/QĐ-TTg). */
static int agency_code_ok(const char *s, size_t n)
{
	static const char shape[] = "XXX.XX.XX.L99";
	if (n != sizeof shape - 1)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i], want = shape[i];
		int digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z';
		if ((want == '.' && c != '.') || (want == 'X' && !digit && !upper) ||
		    (want == 'L' && !upper) || (want == '9' && !digit))
			return 0;
	}
	return 1;
}

int sohoa_formats_check_dossier_code(const char *s)
{
	const char *d1 = strchr(s, '-'), *d2 = d1 ? strchr(d1 + 1, '-') : NULL;
	size_t serial;
	int y, m, d;

	if (!d1 || !d2 || strchr(d2 + 1, '-'))
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("dossier code '%s' is not <agency code>-yymmdd-<serial>"),
				       s);
	if (!agency_code_ok(s, (size_t)(d1 - s)))
		return sohoa_error_set(
			SOHOA_EFORMAT,
			_("dossier code '%s': agency code is not like 000.00.12.H29"), s);
	if (d2 - d1 != 7 || !all_digits(d1 + 1, 6))
		return sohoa_error_set(SOHOA_EFORMAT, _("dossier code '%s': date is not yymmdd"),
				       s);
	y = 2000 + num(d1 + 1, 2);
	m = num(d1 + 3, 2);
	d = num(d1 + 5, 2);
	if (!date_exists(y, m, d))
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("dossier code '%s': %.6s is not a real date"), s, d1 + 1);
	serial = strlen(d2 + 1);
	if (serial < 4 || serial > 6 || !all_digits(d2 + 1, serial))
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("dossier code '%s': serial must be 4 to 6 digits"), s);
	return 0;
}

int sohoa_formats_check_citizen_id(const char *s)
{
	char code[4];
	if (strlen(s) != 12 || !all_digits(s, 12))
		return sohoa_error_set(SOHOA_EFORMAT, _("citizen id must be 12 digits"));
	memcpy(code, s, 3);
	code[3] = '\0';
	if (!sohoa_formats_province_name(code))
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("citizen id starts with %s, which is no province code"),
				       code);
	return 0;
}

int sohoa_formats_check_relative_path(const char *s)
{
	const char *p = s;
	size_t n = strlen(s);

	if (n == 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("empty path"));
	if (s[0] == '/')
		return sohoa_error_set(SOHOA_EFORMAT, _("'%s' is an absolute path"), s);
	if (n > 255)
		return sohoa_error_set(SOHOA_EFORMAT, _("path longer than 255 bytes"));
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("'%s' has a control character or a backslash"), s);
	if (formats_utf8_invalid_at((const unsigned char *)s, n) < n)
		return sohoa_error_set(SOHOA_EFORMAT, _("path is not valid UTF-8"));
	while (*p) {
		size_t c = strcspn(p, "/");
		if (c == 0 || (c == 1 && p[0] == '.'))
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("'%s' has an empty or '.' component"), s);
		if (c == 2 && p[0] == '.' && p[1] == '.')
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("'%s' goes up with '..' out of its folder"), s);
		p += c;
		if (*p == '/' && *++p == '\0')
			return sohoa_error_set(SOHOA_EFORMAT, _("'%s' ends with '/'"), s);
	}
	return 0;
}

const char *sohoa_formats_media_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".tif", "image/tiff"},      {".tiff", "image/tiff"}, {".jpg", "image/jpeg"},
		{".jpeg", "image/jpeg"},     {".png", "image/png"},   {".pdf", "application/pdf"},
		{".xml", "application/xml"}, {".txt", "text/plain"},  {".json", "application/json"},
		{".hocr", "text/html"},
	};
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
	if (dot && (!slash || dot > slash + 1))
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcasecmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}
