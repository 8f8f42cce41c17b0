/* bench/signer_bench.c: signs and verifies N small packages (default 1000)
 * with a file key of the demo PKI — RSA-2048 (PSS) and ECDSA P-256 — and
 * prints signatures/s and packages verified/s (file hashes included) next to
 * `openssl speed` for the same key type, run in the same process's session;
 * then the same two keys on a SoftHSM2 token made for the run (one login each,
 * through pkcs11: URIs) when softhsm2-util is installed; then the ratios.
 *   sohoa-signer-bench [N] [rsa]   (build without sanitizers; `rsa`: the
 *                                   RSA-2048 file key only)
 * Signing goes through sohoa_signer_sign_packages as `sohoa sign --batch`
 * does: with a file key, 2 signing threads (1 on one CPU) while the calling
 * thread commits, so `openssl speed -multi 2` is printed too. Packages go
 * under $TMPDIR (default /tmp); each signed package.xml is committed durably
 * (syncfs per group), so the disk's flush latency counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "signer/signer.h"

#define SOFTHSM_UTIL "/usr/bin/softhsm2-util"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU seconds of this process: on a shared machine, the rate per CPU second
 * says what one free core would do. */
static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
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

/* signs/s that `openssl speed` reports for `alg` (rsa2048, ecdsap256), with
 * `multi` processes (1: none), summed. */
static double openssl_speed(const char *alg, int multi)
{
	char cmd[256], line[512], opt[32] = "";
	double best = 0;
	FILE *p;
	if (multi > 1)
		snprintf(opt, sizeof opt, "-multi %d ", multi);
	snprintf(cmd, sizeof cmd, "openssl speed -seconds 2 %s%s 2>/dev/null", opt, alg);
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

typedef struct {
	double sign_s, verify_s, ref, ref2, sign_cpu_s, verify_cpu_s;
} figures;

/* Signing threads sohoa_signer_sign_packages uses with a file key by default. */
static int file_key_jobs(void)
{
	return sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
}

static void count_failure(size_t i, int rc, void *user)
{
	(void)i;
	if (rc < 0) {
		fprintf(stderr, "%s\n", sohoa_error_last());
		++*(int *)user;
	}
}

/* Signs then verifies n fresh packages named <root>/<label>-NNNN with `key`
 * (a PEM file or a pkcs11: URI, opened once: one login) and its `cert`. */
static figures run(const char *label, const char *key, const char *cert, const char *pass,
		   const char *trust, const char *speed_alg, const char *root, int n, int jobs)
{
	char dir[4096];
	sohoa_signer_key_options ko = {.cert = cert, .pass = pass, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	sohoa_signer_verifier *v = NULL;
	char **names = calloc((size_t)n, sizeof *names);
	figures f;
	double t0, c0;
	int bad = 0;

	for (int i = 0; i < n; i++) {
		snprintf(dir, sizeof dir, "%s/%s-%04d", root, label, i);
		make_package(dir);
	}
	if (sohoa_signer_key_open(&k, key, &ko) < 0 || sohoa_signer_verifier_new(&v, trust, NULL) < 0) {
		fprintf(stderr, "%s: %s\n", label, sohoa_error_last());
		exit(2);
	}
	if (!names)
		exit(2);
	for (int i = 0; i < n; i++)
		if (asprintf(&names[i], "%s/%s-%04d", root, label, i) < 0)
			exit(2);
	/* openssl speed right before and right after signing (the machine may be
	 * shared: the load then is closest to the signing's) */
	f.ref = openssl_speed(speed_alg, 1);
	t0 = now(); /* as `sohoa sign --batch` does: one key, grouped commits */
	c0 = cpu();
	sohoa_signer_sign_packages((const char *const *)names, (size_t)n, k, NULL, count_failure,
				   &bad);
	f.sign_s = n / (now() - t0);
	f.sign_cpu_s = n / (cpu() - c0);
	f.ref = (f.ref + openssl_speed(speed_alg, 1)) / 2;
	f.ref2 = jobs > 1 ? openssl_speed(speed_alg, jobs) : f.ref;
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	t0 = now();
	c0 = cpu();
	for (int i = 0; i < n; i++) {
		sohoa_signer_report *r = NULL;
		snprintf(dir, sizeof dir, "%s/%s-%04d", root, label, i);
		if (sohoa_signer_verify_package(&r, v, dir) < 0 || !r->passed)
			bad++;
		sohoa_signer_report_free(r);
	}
	f.verify_s = n / (now() - t0);
	f.verify_cpu_s = n / (cpu() - c0);
	printf("%-14s %5d packages: sign %7.0f/s (%d thread%s), openssl speed %s sign %7.0f/s "
	       "(mean of before and after), ratio %.2f",
	       label, n, f.sign_s, jobs, jobs > 1 ? "s" : "", speed_alg, f.ref,
	       f.ref > 0 ? f.sign_s / f.ref : 0);
	if (jobs > 1)
		printf("; -multi %d %7.0f/s, ratio %.2f", jobs, f.ref2,
		       f.ref2 > 0 ? f.sign_s / f.ref2 : 0);
	printf("; verify (files included) %7.0f packages/s%s\n"
	       "%-14s per CPU second: sign %7.0f, verify %7.0f (%s)\n",
	       f.verify_s, bad ? " — SOME FAILED" : "", "", f.sign_cpu_s, f.verify_cpu_s,
	       "CPU of all threads; what one idle core would do without waiting for the disk");
	fflush(stdout);
	sohoa_signer_key_free(k);
	sohoa_signer_verifier_free(v);
	return f;
}

static figures run_file(const char *demo, const char *root, const char *name,
			const char *speed_alg, int n)
{
	char key[4096], cert[4096], trust[4096];
	snprintf(key, sizeof key, "%s/%s.key.pem", demo, name);
	snprintf(cert, sizeof cert, "%s/%s.pem", demo, name);
	snprintf(trust, sizeof trust, "%s/root-ca.pem", demo);
	return run(name, key, cert, NULL, trust, speed_alg, root, n, file_key_jobs());
}

/* A SoftHSM2 token in <root>/softhsm holding the demo seal key (RSA-2048) and
 * leader-ec key (P-256); 0 when softhsm2-util is missing or fails. */
static int softhsm_setup(const char *demo, const char *root)
{
	char conf[4096], cmd[16384];
	FILE *f;

	if (access(SOFTHSM_UTIL, X_OK) != 0 || access(SOFTHSM_MODULE, R_OK) != 0)
		return 0;
	snprintf(conf, sizeof conf, "%s/softhsm2.conf", root);
	snprintf(cmd, sizeof cmd, "%s/softhsm", root);
	sohoa_mkdir_p(cmd);
	f = fopen(conf, "w");
	if (!f)
		return 0;
	fprintf(f, "directories.tokendir = %s/softhsm\nobjectstore.backend = file\nlog.level = ERROR\n",
		root);
	fclose(f);
	setenv("SOFTHSM2_CONF", conf, 1);
	setenv("SOHOA_PKCS11_MODULE", SOFTHSM_MODULE, 1);
	setenv("SOHOA_BENCH_PIN", "1234", 1);
	snprintf(cmd, sizeof cmd,
		 "%1$s --init-token --free --label sohoa-bench --pin 1234 --so-pin 12345678 && "
		 "%1$s --import '%2$s/seal.key.pem' --token sohoa-bench --label seal --id 02 --pin 1234 && "
		 "%1$s --import '%2$s/leader-ec.key.pem' --token sohoa-bench --label leader --id 01 "
		 "--pin 1234",
		 SOFTHSM_UTIL, demo);
	return system(cmd) == 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	int rsa_only = argc > 2 && strcmp(argv[2], "rsa") == 0;
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char root[1024], demo[4096], cmd[4200], cert[4200], trust[4200];
	figures rsa, ec, hrsa = {0}, hec = {0};
	int hsm;

	snprintf(root, sizeof root, "%s/sohoa-signer-bench-XXXXXX", tmp);
	if (n <= 0 || !mkdtemp(root))
		return 2;
	snprintf(demo, sizeof demo, "%s/demo", root);
	if (sohoa_signer_keys_demo(demo) < 0) {
		fprintf(stderr, "%s\n", sohoa_error_last());
		return 2;
	}
	snprintf(trust, sizeof trust, "%s/root-ca.pem", demo);
	rsa = run_file(demo, root, "seal", "rsa2048", n);
	if (rsa_only) {
		printf("ratios: RSA-2048 file key sign/openssl speed %.2f (target >= 0.50), "
		       "/openssl speed -multi %d %.2f; per CPU second %.2f\n",
		       rsa.ref > 0 ? rsa.sign_s / rsa.ref : 0, file_key_jobs(),
		       rsa.ref2 > 0 ? rsa.sign_s / rsa.ref2 : 0,
		       rsa.ref > 0 ? rsa.sign_cpu_s / rsa.ref : 0);
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
		return system(cmd) == 0 ? 0 : 1;
	}
	ec = run_file(demo, root, "leader-ec", "ecdsap256", n);
	hsm = softhsm_setup(demo, root);
	if (hsm) {
		snprintf(cert, sizeof cert, "%s/seal.pem", demo);
		hrsa = run("softhsm-seal", "pkcs11:token=sohoa-bench;object=seal", cert,
			   "env:SOHOA_BENCH_PIN", trust, "rsa2048", root, n, 1);
		snprintf(cert, sizeof cert, "%s/leader-ec.pem", demo);
		hec = run("softhsm-ec", "pkcs11:token=sohoa-bench;object=leader", cert,
			  "env:SOHOA_BENCH_PIN", trust, "ecdsap256", root, n, 1);
	} else {
		printf("softhsm: not run (%s or %s missing)\n", SOFTHSM_UTIL, SOFTHSM_MODULE);
	}
	printf("ratios: RSA-2048 file key sign/openssl speed %.2f (target >= 0.50), /openssl "
	       "speed -multi %d %.2f, per CPU second %.2f; P-256 file key %.2f, /-multi %.2f "
	       "(per CPU second %.2f)\n",
	       rsa.ref > 0 ? rsa.sign_s / rsa.ref : 0, file_key_jobs(),
	       rsa.ref2 > 0 ? rsa.sign_s / rsa.ref2 : 0, rsa.ref > 0 ? rsa.sign_cpu_s / rsa.ref : 0,
	       ec.ref > 0 ? ec.sign_s / ec.ref : 0, ec.ref2 > 0 ? ec.sign_s / ec.ref2 : 0,
	       ec.ref > 0 ? ec.sign_cpu_s / ec.ref : 0);
	printf("ratios: verify %.0f packages/s RSA-2048, %.0f P-256 (target >= 2000)\n",
	       rsa.verify_s, ec.verify_s);
	if (hsm)
		printf("ratios: SoftHSM2 (one login for %d signatures each) RSA-2048 sign/openssl "
		       "speed %.2f, /file key %.2f; P-256 %.2f, /file key %.2f\n",
		       n, hrsa.ref > 0 ? hrsa.sign_s / hrsa.ref : 0, hrsa.sign_s / rsa.sign_s,
		       hec.ref > 0 ? hec.sign_s / hec.ref : 0, hec.sign_s / ec.sign_s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : 1;
}
