/* bench/signer_bench.c: signs and verifies N small packages (default 1000)
 * with a file key of the demo PKI — RSA-2048 (PSS) and ECDSA P-256 — and
 * prints signatures/s and packages verified/s (file hashes included) next to
 * `openssl speed` for the same key type, run in the same process's session.
 *   sohoa-signer-bench [N]      (one core; build without sanitizers)
 * Packages go under $TMPDIR (default /tmp); each signed package.xml is written
 * atomically with fsync, so the disk's fsync latency bounds signing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signer/signer.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

/* A small package: one page file, one text file, listed with SHA-256. */
static void make_package(const char *dir)
{
	static const char page[] = "II*\0a small page", text[] = "Giấy phép xây dựng số 12\n";
	char path[4096], hp[65], ht[65], xml[2048];
	uint8_t md[32];
	sohoa_mkdir_p(dir);
	if (snprintf(path, sizeof path, "%s/page.tif", dir) >= (int)sizeof path)
		exit(2);
	write_file(path, page, sizeof page);
	if (snprintf(path, sizeof path, "%s/text.txt", dir) >= (int)sizeof path)
		exit(2);
	write_file(path, text, strlen(text));
	sohoa_sha256(md, page, sizeof page);
	sohoa_hex(hp, md, 32);
	sohoa_sha256(md, text, strlen(text));
	sohoa_hex(ht, md, 32);
	snprintf(xml, sizeof xml,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Package xmlns=\"urn:sohoa:package:1\">\n"
		 "  <Content Id=\"content\">\n    <Title>Giấy phép xây dựng</Title>\n    <Files>\n"
		 "      <File Path=\"page.tif\" MediaType=\"image/tiff\" Size=\"%zu\" SHA256=\"%s\"/>\n"
		 "      <File Path=\"text.txt\" MediaType=\"text/plain\" Size=\"%zu\" SHA256=\"%s\"/>\n"
		 "    </Files>\n  </Content>\n  <Signatures>\n  </Signatures>\n</Package>\n",
		 sizeof page, hp, strlen(text), ht);
	if (snprintf(path, sizeof path, "%s/package.xml", dir) >= (int)sizeof path)
		exit(2);
	write_file(path, xml, strlen(xml));
}

/* signs/s that `openssl speed` reports for `alg` (rsa2048, ecdsap256). */
static double openssl_speed(const char *alg)
{
	char cmd[256], line[512];
	double best = 0;
	FILE *p;
	snprintf(cmd, sizeof cmd, "openssl speed -seconds 2 %s 2>/dev/null", alg);
	p = popen(cmd, "r");
	while (p && fgets(line, sizeof line, p)) {
		double a, b, s, v;
		if ((strncmp(line, "rsa ", 4) == 0 &&
		     sscanf(line, "rsa %*d bits %lfs %lfs %lf %lf", &a, &b, &s, &v) == 4) ||
		    sscanf(line, "%*d bits ecdsa (%*[^)]) %lfs %lfs %lf %lf", &a, &b, &s, &v) == 4)
			best = s;
	}
	if (p)
		pclose(p);
	return best;
}

static void run(const char *demo, const char *root, const char *keyname, const char *speed_alg,
		int n)
{
	char key[4096], cert[4096], trust[4096], dir[4096];
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	sohoa_signer_verifier *v = NULL;
	double t0, sign_s, verify_s, ref;
	int bad = 0;

	snprintf(key, sizeof key, "%s/%s.key.pem", demo, keyname);
	snprintf(cert, sizeof cert, "%s/%s.pem", demo, keyname);
	snprintf(trust, sizeof trust, "%s/root-ca.pem", demo);
	for (int i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%s/%s-%04d", root, keyname, i);
		make_package(dir);
	}
	if (sohoa_signer_key_open(&k, key, &ko) < 0 || sohoa_signer_verifier_new(&v, trust, NULL) < 0) {
		fprintf(stderr, "%s\n", sohoa_error_last());
		exit(2);
	}
	t0 = now();
	for (int i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%s/%s-%04d", root, keyname, i);
		if (sohoa_signer_sign_package(dir, k, NULL) < 0)
			bad++;
	}
	sign_s = n / (now() - t0);
	t0 = now();
	for (int i = 0; i < n; i++) {
		sohoa_signer_report *r = NULL;
		snprintf(dir, sizeof dir, "%s/%s-%04d", root, keyname, i);
		if (sohoa_signer_verify_package(&r, v, dir) < 0 || !r->passed)
			bad++;
		sohoa_signer_report_free(r);
	}
	verify_s = n / (now() - t0);
	ref = openssl_speed(speed_alg);
	printf("%-10s %5d packages: sign %7.0f/s, openssl speed %s sign %7.0f/s, ratio %.2f; "
	       "verify (files included) %7.0f packages/s%s\n",
	       keyname, n, sign_s, speed_alg, ref, ref > 0 ? sign_s / ref : 0, verify_s,
	       bad ? " — SOME FAILED" : "");
	sohoa_signer_key_free(k);
	sohoa_signer_verifier_free(v);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char root[1024], demo[4096], cmd[4200];
	snprintf(root, sizeof root, "%s/sohoa-signer-bench-XXXXXX", tmp);
	if (n <= 0 || !mkdtemp(root))
		return 2;
	snprintf(demo, sizeof demo, "%s/demo", root);
	if (sohoa_signer_keys_demo(demo) < 0) {
		fprintf(stderr, "%s\n", sohoa_error_last());
		return 2;
	}
	run(demo, root, "seal", "rsa2048", n);
	run(demo, root, "leader-ec", "ecdsap256", n);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : 1;
}
