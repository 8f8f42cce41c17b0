/* ocr/pdf_in.c: image-only PDF input (what scanners write) through Poppler's
 * GLib API: page count and first page for the probe, and one page rendered
 * with cairo into a Leptonica PIX at the resolution of the scan it holds. */
#include "ocr/ocr_int.h"

#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poppler.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PDF_DEFAULT_DPI 300.0
#define PDF_MIN_DPI     150.0
#define PDF_MAX_DPI     600.0
#define CAIRO_MAX_SIDE  32767 /* cairo refuses larger image surfaces */

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static _Thread_local char poppler_note[200]; /* first Poppler complaint of this thread */

/* Poppler reports syntax errors and damaged streams through GLib's log in its
 * own domain; sohoa reports one error per bad file instead, so the messages
 * never reach stderr. The first one of the current page is kept for -v -v. */
static void poppler_log(const gchar *domain, GLogLevelFlags level, const gchar *message,
			gpointer data)
{
	(void)domain;
	(void)level;
	(void)data;
	if (!poppler_note[0] && message)
		snprintf(poppler_note, sizeof poppler_note, "%s", message);
}

static void quiet_poppler(void)
{
	g_log_set_handler("Poppler", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION,
			  poppler_log, NULL);
}

/* Opens `path` with Poppler. Each call has its own document, so worker
 * threads never share one (Poppler's global parameters are reference-counted
 * under a lock). Errors name the file. */
static int pdf_open(PopplerDocument **out, const char *path, const sohoa_limits *lim)
{
	GError *err = NULL;
	struct stat st;
	int fd, rc = 0;

	*out = NULL;
	pthread_once(&quiet_once, quiet_poppler);
	poppler_note[0] = '\0';
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fd <= STDERR_FILENO) { /* Poppler reads descriptor 0 as stdin */
		int high = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
		close(fd);
		if (high < 0)
			return sohoa_error_from_errno(errno, "%s", path);
		fd = high;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size > lim->max_image_bytes) {
		close(fd);
		return sohoa_error_set(SOHOA_EUNSUPPORTED, _("%s: changed while being read"), path);
	}
	*out = poppler_document_new_from_fd(fd, NULL, &err); /* takes fd, even on failure */
	if (*out)
		return 0;
	sohoa_log_debug("%s: poppler: %s", path, err && err->message ? err->message : "?");
	if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED)
		rc = sohoa_error_set(SOHOA_EUNSUPPORTED,
				     _("%s: the PDF is protected by a password"), path);
	else if (err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_BAD_CATALOG)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: damaged PDF (no document catalog)"),
				     path);
	else
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: damaged or unreadable PDF"), path);
	g_clear_error(&err);
	return rc;
}

/* Page count within (0, cap]. */
static int pdf_pages(size_t *n, PopplerDocument *doc, const char *path, const sohoa_limits *lim)
{
	int pages = poppler_document_get_n_pages(doc);

	*n = 0;
	if (pages <= 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: the PDF has no pages"), path);
	if ((size_t)pages > lim->max_image_pages)
		return sohoa_error_set(SOHOA_ELIMIT, _("%s: more pages than the limit of %zu"),
				       path, lim->max_image_pages);
	*n = (size_t)pages;
	return 0;
}

/* Pixels per inch across and down a rendered page. */
typedef struct {
	double x, y;
} pdf_res;

/* The resolution an image of w x h pixels has on an area of aw x ah points,
 * drawn upright or turned a quarter. Its shape must fit the area within 5%:
 * enough for fax resolutions (204 x 196), not for an A4 image on a Letter
 * area. 0 when it does not fit. */
static int fit_res(pdf_res *r, const ocr_pdf_image *im, double aw, double ah)
{
	for (int turned = 0; turned < 2; turned++) {
		r->x = (turned ? im->height : im->width) * 72.0 / aw;
		r->y = (turned ? im->width : im->height) * 72.0 / ah;
		if (fabs(r->x - r->y) <= 0.05 * fmax(r->x, r->y))
			return 1;
	}
	return 0;
}

static double clamp_dpi(double dpi)
{
	return dpi < PDF_MIN_DPI ? PDF_MIN_DPI : dpi > PDF_MAX_DPI ? PDF_MAX_DPI : dpi;
}

/* Resolution at which to render a page of pw x ph points. A scan is one
 * image covering the page: it is rendered at the image's own resolution
 * (clamped to 150..600 dpi), so the page comes out pixel for pixel as it was
 * scanned; anything else, or a scan whose pixel size the file does not say
 * plainly, at 300 dpi. */
static pdf_res page_res(PopplerPage *page, double pw, double ph, const ocr_pdf_images *images)
{
	GList *map = poppler_page_get_image_mapping(page);
	pdf_res res = {PDF_DEFAULT_DPI, PDF_DEFAULT_DPI}, lo = {0, 0}, hi = {0, 0}, r;
	double aw, ah;

	if (!map || map->next || images->overflow)
		goto cleanup; /* no image, several, or too many sizes to tell */
	const PopplerRectangle *a = &((PopplerImageMapping *)map->data)->area;
	aw = fmin(fmax(a->x1, a->x2), pw) - fmax(fmin(a->x1, a->x2), 0);
	ah = fmin(fmax(a->y1, a->y2), ph) - fmax(fmin(a->y1, a->y2), 0);
	if (!(aw >= 0.9 * pw && ah >= 0.9 * ph))
		goto cleanup; /* does not cover the page */
	/* Poppler rounds the area to whole points; an image that fills the page
	 * to within that is taken to fill it exactly (so a page of 595.44 pt
	 * holding 1654 pixels renders to 1654). */
	aw = fabs(a->x2 - a->x1);
	ah = fabs(a->y2 - a->y1);
	aw = fabs(aw - pw) <= 1.5 ? pw : aw;
	ah = fabs(ah - ph) <= 1.5 ? ph : ah;
	/* Which image it is, Poppler does not say: every image whose shape fits
	 * the area must agree (thumbnails and icons, under 50 dpi, do not count). */
	for (size_t i = 0; i < images->count; i++) {
		if (!fit_res(&r, &images->sizes[i], aw, ah) || r.x < 50 || r.y < 50)
			continue;
		lo.x = lo.x == 0 || r.x < lo.x ? r.x : lo.x;
		lo.y = lo.y == 0 || r.y < lo.y ? r.y : lo.y;
		hi.x = fmax(hi.x, r.x);
		hi.y = fmax(hi.y, r.y);
	}
	if (lo.x > 0 && hi.x <= lo.x * 1.02 && hi.y <= lo.y * 1.02) {
		res.x = clamp_dpi((lo.x + hi.x) / 2);
		res.y = clamp_dpi((lo.y + hi.y) / 2);
	}
cleanup:
	poppler_page_free_image_mapping(map);
	return res;
}

/* Size of page `n` in pixels at the resolution chosen for it, within the
 * caps. The caller owns *page_out. */
static int pdf_page_size(PopplerPage **page_out, uint32_t *w, uint32_t *h, pdf_res *res,
			 PopplerDocument *doc, size_t n, const ocr_pdf_images *images,
			 const char *path, const sohoa_limits *lim)
{
	PopplerPage *page = poppler_document_get_page(doc, (int)n);
	double pw = 0, ph = 0, fw, fh;

	*page_out = NULL;
	if (!page)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu cannot be read"), path,
				       n + 1);
	poppler_page_get_size(page, &pw, &ph);
	if (!(pw >= 1 && ph >= 1 && pw < 1e6 && ph < 1e6)) {
		g_object_unref(page);
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu has no usable size"), path,
				       n + 1);
	}
	*res = page_res(page, pw, ph, images);
	fw = fmax(1, round(pw * res->x / 72.0));
	fh = fmax(1, round(ph * res->y / 72.0));
	if (fw * fh > (double)lim->max_image_pixels || fw > CAIRO_MAX_SIDE || fh > CAIRO_MAX_SIDE) {
		g_object_unref(page);
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: page %zu of %.0fx%.0f pixels at %.0f dpi exceeds the "
					 "limit of %llu pixels"),
				       path, n + 1, fw, fh, res->x,
				       (unsigned long long)lim->max_image_pixels);
	}
	*w = (uint32_t)fw;
	*h = (uint32_t)fh;
	*page_out = page;
	return 0;
}

/* Refuses a file declaring an image over the pixel cap: Poppler and cairo
 * would decode it whole, whatever the size of the page it is drawn on. An
 * image whose size is not written plainly cannot be checked, so it is
 * refused too (scanners write plain numbers). */
static int check_images(const ocr_pdf_images *images, const char *path, const sohoa_limits *lim)
{
	if (images->unsized)
		return sohoa_error_set(SOHOA_EUNSUPPORTED,
				       _("%s: declares an image whose pixel size is not written "
					 "plainly, so it cannot be checked against the limits"),
				       path);
	if ((uint64_t)images->largest.width * images->largest.height <= lim->max_image_pixels)
		return 0;
	return sohoa_error_set(SOHOA_ELIMIT,
			       _("%s: holds an image of %ux%u pixels, over the limit of %llu "
				 "pixels"),
			       path, images->largest.width, images->largest.height,
			       (unsigned long long)lim->max_image_pixels);
}

/* Opens the document and settles everything checked before rendering:
 * structure, image sizes, page count, and the size of page `n`. */
static int pdf_prepare(PopplerDocument **doc, PopplerPage **page, pdf_res *res,
		       sohoa_ocr_image_info *info, const char *path, size_t n,
		       const sohoa_limits *lim)
{
	ocr_pdf_images images;
	int rc;

	*doc = NULL;
	*page = NULL;
	memset(info, 0, sizeof *info);
	info->format = SOHOA_IMAGE_PDF;
	rc = ocr_check_stream(path, SOHOA_IMAGE_PDF);
	if (rc == 0)
		rc = ocr_pdf_scan_images(&images, path);
	if (rc == 0)
		rc = check_images(&images, path, lim);
	if (rc == 0)
		rc = pdf_open(doc, path, lim);
	if (rc == 0 && images.encrypted) /* even one that opens without a password */
		rc = sohoa_error_set(SOHOA_EUNSUPPORTED,
				     _("%s: the PDF is encrypted; only unencrypted PDFs are read"),
				     path);
	if (rc == 0)
		rc = pdf_pages(&info->pages, *doc, path, lim);
	if (rc == 0 && n >= info->pages)
		rc = sohoa_error_set(SOHOA_EINVAL, _("%s: no page %zu (the file has %zu)"), path,
				     n + 1, info->pages);
	if (rc == 0)
		rc = pdf_page_size(page, &info->width, &info->height, res, *doc, n, &images, path,
				   lim);
	if (rc < 0) {
		if (*doc)
			g_object_unref(*doc);
		*doc = NULL;
		return rc;
	}
	info->bits_per_pixel = 24;
	info->xres = (int)lround(res->x);
	info->yres = (int)lround(res->y);
	return 0;
}

int ocr_pdf_probe(sohoa_ocr_image_info *out, const char *path, const sohoa_limits *lim)
{
	PopplerDocument *doc = NULL;
	PopplerPage *page = NULL;
	pdf_res res;
	int rc = pdf_prepare(&doc, &page, &res, out, path, 0, lim);

	if (page)
		g_object_unref(page);
	if (doc)
		g_object_unref(doc);
	return rc;
}

/* Renders `page` on white into a new 32 bpp PIX of w x h at `res`. cairo
 * draws straight into the PIX's buffer (both hold one 32-bit word per
 * pixel); only the byte order within the words differs. */
static PIX *render(PopplerPage *page, uint32_t w, uint32_t h, pdf_res res)
{
	PIX *pix = pixCreateNoInit((l_int32)w, (l_int32)h, 32);
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, (int)w);
	int ok;

	if (!pix || stride != pixGetWpl(pix) * 4) {
		pixDestroy(&pix);
		return NULL;
	}
	surface = cairo_image_surface_create_for_data((unsigned char *)pixGetData(pix),
						      CAIRO_FORMAT_RGB24, (int)w, (int)h, stride);
	cr = cairo_create(surface);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, res.x / 72.0, res.y / 72.0);
	poppler_page_render(page, cr);
	ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	cairo_destroy(cr);
	cairo_surface_flush(surface);
	ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surface);
	if (!ok) {
		pixDestroy(&pix);
		return NULL;
	}
	/* cairo RGB24 is 0x00RRGGBB, Leptonica RGB is 0xRRGGBB00. */
	l_uint32 *px = pixGetData(pix);
	for (size_t i = 0, n = (size_t)w * h; i < n; i++)
		px[i] <<= 8;
	pixSetResolution(pix, (l_int32)lround(res.x), (l_int32)lround(res.y));
	return pix;
}

int ocr_pdf_decode(PIX **out, const char *path, size_t n, const sohoa_limits *lim,
		   sohoa_ocr_image_info *info)
{
	PopplerDocument *doc = NULL;
	PopplerPage *page = NULL;
	pdf_res res;
	int rc;

	*out = NULL;
	if (n >= lim->max_image_pages)
		return sohoa_error_set(SOHOA_ELIMIT, _("%s: more pages than the limit of %zu"),
				       path, lim->max_image_pages);
	rc = pdf_prepare(&doc, &page, &res, info, path, n, lim);
	if (rc < 0)
		return rc;
	*out = render(page, info->width, info->height, res);
	if (!*out)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot render the PDF page"),
				     path, n + 1);
	if (poppler_note[0])
		sohoa_log_debug("%s: page %zu: poppler: %s", path, n + 1, poppler_note);
	g_object_unref(page);
	g_object_unref(doc);
	return rc;
}
