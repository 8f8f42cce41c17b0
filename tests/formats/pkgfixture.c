/* tests/formats/pkgfixture.c: package folders made from the sample dossiers,
 * shared by the package, export and hostile-input tests. */
#include "pkgfixture.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *const pf_samples[PF_NSAMPLES] = {
	"000.00.12.H29-231122-0001", "000.00.15.H40-231009-0032", "000.05.31.H31-240115-0103",
	"000.20.31.H56-231205-0014", "000.31.01.H58-240304-0027",
};

void pf_copy_file(const char *from, const char *to)
{
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(sohoa_file_read(&buf, &len, from, 1u << 30), 0);
	tu_write(to, buf, len);
	free(buf);
}

/* A package folder for sample `code`: its pages copied to pages/, a text
 * file per document in docs/. Returns the package built from the manifest
 * with the folder's Files list and some OCR figures. */
sohoa_package *pf_sample_package(const char *code, const char *pkgdir)
{
	char src[512], path[768];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	sohoa_package *p = NULL;

	snprintf(src, sizeof src, "%s/samples/inbox/%s/dossier.xml", SOHOA_SOURCE_DIR, code);
	if (sohoa_manifest_read(&m, src, &lim) != 0)
		fail_msg("%s", sohoa_error_last());
	snprintf(path, sizeof path, "%s/pages", pkgdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/docs", pkgdir);
	assert_int_equal(mkdir(path, 0755), 0);
	for (size_t i = 0; i < m->ndocuments; i++) {
		for (size_t k = 0; k < m->documents[i].npages; k++) {
			snprintf(src, sizeof src, "%s/samples/inbox/%s/%s", SOHOA_SOURCE_DIR, code,
				 m->documents[i].pages[k]);
			snprintf(path, sizeof path, "%s/pages/%s", pkgdir,
				 m->documents[i].pages[k]);
			pf_copy_file(src, path);
		}
		snprintf(path, sizeof path, "%s/docs/%zu.txt", pkgdir, i + 1);
		tu_write(path, m->documents[i].title, strlen(m->documents[i].title));
	}
	assert_int_equal(sohoa_package_from_manifest(&p, m), 0);
	assert_int_equal(sohoa_package_list_files(p, pkgdir, &lim), 0);
	p->ocr_pages = m->npages;
	p->ocr_confidence_centi = 9107;
	p->ocr_needs_review = 1;
	sohoa_manifest_free(m);
	return p;
}
