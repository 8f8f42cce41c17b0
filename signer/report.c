/* signer/report.c: verification reports for people (English or Vietnamese
 * labels) and for machines (JSON with the ETSI EN 319 102-1 names). */
#include "signer/internal.h"

#include <string.h>

static const char *const indications[] = {"TOTAL-PASSED", "TOTAL-FAILED", "INDETERMINATE"};

static const struct {
	const char *name, *vi;
} subs[] = {
	[SOHOA_SIGNER_SUB_NONE] = {"", ""},
	[SOHOA_SIGNER_FORMAT_FAILURE] = {"FORMAT_FAILURE", "sai định dạng chữ ký"},
	[SOHOA_SIGNER_HASH_FAILURE] = {"HASH_FAILURE", "nội dung đã bị thay đổi sau khi ký"},
	[SOHOA_SIGNER_SIG_CRYPTO_FAILURE] = {"SIG_CRYPTO_FAILURE", "giá trị chữ ký không đúng"},
	[SOHOA_SIGNER_REVOKED] = {"REVOKED", "chứng thư số đã bị thu hồi"},
	[SOHOA_SIGNER_EXPIRED] = {"EXPIRED", "chứng thư số đã hết hạn khi ký"},
	[SOHOA_SIGNER_NOT_YET_VALID] = {"NOT_YET_VALID", "chứng thư số chưa có hiệu lực khi ký"},
	[SOHOA_SIGNER_NO_SIGNING_CERTIFICATE_FOUND] = {"NO_SIGNING_CERTIFICATE_FOUND",
						       "không tìm thấy chứng thư số của người ký"},
	[SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND] = {"NO_CERTIFICATE_CHAIN_FOUND",
						     "chứng thư số không do tổ chức tin cậy cấp"},
	[SOHOA_SIGNER_CERTIFICATE_CHAIN_GENERAL_FAILURE] = {"CERTIFICATE_CHAIN_GENERAL_FAILURE",
							    "lỗi chuỗi chứng thực"},
	[SOHOA_SIGNER_CHAIN_CONSTRAINTS_FAILURE] = {"CHAIN_CONSTRAINTS_FAILURE",
						    "chứng thư số không được phép dùng để ký"},
	[SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE] = {"CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
							    "thuật toán hoặc khóa quá yếu"},
	[SOHOA_SIGNER_OUT_OF_BOUNDS_NO_POE] = {"OUT_OF_BOUNDS_NO_POE",
					       "chứng thư số đã hết hạn, chữ ký không có dấu thời "
					       "gian"},
	[SOHOA_SIGNER_TRY_LATER] = {"TRY_LATER", "thiếu thông tin thu hồi (CRL)"},
	[SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE] = {"SIG_CONSTRAINTS_FAILURE",
						  "dấu thời gian không hợp lệ"},
};

const char *sohoa_signer_indication_name(sohoa_signer_indication ind)
{
	return (unsigned)ind < 3 ? indications[ind] : "INDETERMINATE";
}

const char *sohoa_signer_subindication_name(sohoa_signer_subindication sub)
{
	return (unsigned)sub < sizeof subs / sizeof subs[0] ? subs[sub].name : "";
}

static const char *role_vi(const char *role)
{
	if (role && strcmp(role, "seal") == 0)
		return "con dấu cơ quan";
	if (role && strcmp(role, "leader") == 0)
		return "lãnh đạo";
	return role;
}

void sohoa_signer_report_write_text(FILE *out, const sohoa_signer_report *rep, const char *lang)
{
	int vi = lang && strcmp(lang, "vi") == 0;

	if (vi)
		fprintf(out, "%s: %s (%zu chữ ký", rep->package,
			rep->passed ? "HỢP LỆ" : "KHÔNG HỢP LỆ", rep->nsigs);
	else
		fprintf(out, "%s: %s (%zu signature%s", rep->package,
			rep->passed ? "PASSED" : "FAILED", rep->nsigs, rep->nsigs == 1 ? "" : "s");
	if (rep->files_checked)
		fprintf(out, vi ? ", %zu tệp" : ", %zu file%s", rep->nfiles,
			vi ? "" : (rep->nfiles == 1 ? "" : "s"));
	if (!rep->revocation_checked)
		fputs(vi ? ", không kiểm tra thu hồi" : ", revocation not checked", out);
	fputs(")\n", out);
	if (rep->error)
		fprintf(out, "  %s: %s\n", vi ? "lỗi" : "error", rep->error);
	for (size_t i = 0; i < rep->nsigs; i++) {
		const sohoa_signer_result *r = &rep->sigs[i];
		fprintf(out, "  %s: %s", r->id ? r->id : "?", sohoa_signer_indication_name(r->indication));
		if (r->sub)
			fprintf(out, "/%s", sohoa_signer_subindication_name(r->sub));
		if (vi && r->sub)
			fprintf(out, " (%s)", subs[r->sub].vi);
		if (r->role)
			fprintf(out, "; %s %s", vi ? "vai trò" : "role", vi ? role_vi(r->role) : r->role);
		if (r->signer)
			fprintf(out, "; %s %s", vi ? "người ký" : "signer", r->signer);
		if (r->signing_time)
			fprintf(out, "; %s %s", vi ? "ký lúc" : "signed", r->signing_time);
		if (r->timestamp_time)
			fprintf(out, "; %s %s", vi ? "dấu thời gian" : "timestamped",
				r->timestamp_time);
		if (r->algorithm)
			fprintf(out, "; %s", r->algorithm);
		if (r->detail)
			fprintf(out, "\n    %s", r->detail);
		fputc('\n', out);
	}
	for (size_t i = 0; i < rep->nproblems; i++)
		fprintf(out, "  %s %s\n", vi ? "tệp" : "file", rep->file_problems[i]);
}

static void json_str_or_null(FILE *out, const char *s)
{
	if (s)
		sohoa_json_string(out, s);
	else
		fputs("null", out);
}

static void json_one(FILE *out, const sohoa_signer_report *rep)
{
	fputs("{\"package\":", out);
	sohoa_json_string(out, rep->package);
	fprintf(out, ",\"passed\":%s,\"error\":", rep->passed ? "true" : "false");
	json_str_or_null(out, rep->error);
	fprintf(out, ",\"revocation_checked\":%s", rep->revocation_checked ? "true" : "false");
	if (rep->files_checked) {
		fprintf(out, ",\"files\":{\"checked\":%zu,\"passed\":%s,\"problems\":[",
			rep->nfiles, rep->nproblems ? "false" : "true");
		for (size_t i = 0; i < rep->nproblems; i++) {
			if (i)
				fputc(',', out);
			sohoa_json_string(out, rep->file_problems[i]);
		}
		fputs("]}", out);
	} else {
		fputs(",\"files\":null", out);
	}
	fputs(",\"signatures\":[", out);
	for (size_t i = 0; i < rep->nsigs; i++) {
		const sohoa_signer_result *r = &rep->sigs[i];
		fputs(i ? ",{\"id\":" : "{\"id\":", out);
		json_str_or_null(out, r->id);
		fputs(",\"indication\":", out);
		sohoa_json_string(out, sohoa_signer_indication_name(r->indication));
		fputs(",\"subindication\":", out);
		json_str_or_null(out, r->sub ? sohoa_signer_subindication_name(r->sub) : NULL);
		fputs(",\"detail\":", out);
		json_str_or_null(out, r->detail);
		fputs(",\"signer\":", out);
		json_str_or_null(out, r->signer);
		fputs(",\"role\":", out);
		json_str_or_null(out, r->role);
		fputs(",\"signing_time\":", out);
		json_str_or_null(out, r->signing_time);
		fputs(",\"algorithm\":", out);
		json_str_or_null(out, r->algorithm);
		fputs(",\"timestamp_time\":", out);
		json_str_or_null(out, r->timestamp_time);
		fputc('}', out);
	}
	fputs("]}", out);
}

void sohoa_signer_report_write_json(FILE *out, sohoa_signer_report *const *reports, size_t n)
{
	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_one(out, reports[i]);
	}
	fputs("]\n", out);
}
