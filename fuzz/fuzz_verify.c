/* fuzz/fuzz_verify.c: libFuzzer target on the signature verifier — arbitrary
 * bytes through the safe XML parser into sohoa_signer_verify_doc, with a trust
 * anchor so that the seeds (packages signed by sohoa's demo PKI) reach every
 * check. Aborts when a report breaks its contract: a passed package must have
 * signatures that all passed and a signed Content that is the package's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "signer/signer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The demo root CAs the seeds in corpus/fuzz_verify/ chain to. */
static const char root_pem[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB6zCCAXKgAwIBAgIBATAKBggqhkjOPQQDAjA/MQswCQYDVQQGEwJWTjETMBEG\n"
	"A1UECgwKRGVtbyBzb2hvYTEbMBkGA1UEAwwSc29ob2EgRGVtbyBSb290IENBMB4X\n"
	"DTI2MTEyMjE2MjU1MFoXDTM2MTEyMDE2MjU1MFowPzELMAkGA1UEBhMCVk4xEzAR\n"
	"BgNVBAoMCkRlbW8gc29ob2ExGzAZBgNVBAMMEnNvaG9hIERlbW8gUm9vdCBDQTB2\n"
	"MBAGByqGSM49AgEGBSuBBAAiA2IABNON0RK/NvF6wFPvVnophF72tDRoRImK5Y8x\n"
	"dMvgHs0T81S0cvPGeS5H39OuDYRnYPh0OStPiFkQ4+UaeQZTafAgU2e0qAaRpcP9\n"
	"Nd88hNgR/9a20zLN3YBasKiluofgcaNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNV\n"
	"HQ4EFgQUTPGyIOlM1W4wb6J6Zhyy775e0rYwDgYDVR0PAQH/BAQDAgEGMAoGCCqG\n"
	"SM49BAMCA2cAMGQCMETWdyeOw9oHgOpKnI+zr67VweloKi3d0aFq6y6Ye195k+MO\n"
	"yOB6Lhb/7zLdiUGv4AIwZtkmvSkJ1BfXssf95gvhBVWfpgGfa7jgYZfEcOA+PBP2\n"
	"KJdqEXX08Mzt8fzV0aTY\n"
	"-----END CERTIFICATE-----\n"
	/* the demo root of bt.xml (B-T, timestamped by that demo PKI's tsa.pem) */
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB6zCCAXKgAwIBAgIBATAKBggqhkjOPQQDAjA/MQswCQYDVQQGEwJWTjETMBEG\n"
	"A1UECgwKRGVtbyBzb2hvYTEbMBkGA1UEAwwSc29ob2EgRGVtbyBSb290IENBMB4X\n"
	"DTI2MTEyMjE2NTgxM1oXDTM2MTEyMDE2NTgxM1owPzELMAkGA1UEBhMCVk4xEzAR\n"
	"BgNVBAoMCkRlbW8gc29ob2ExGzAZBgNVBAMMEnNvaG9hIERlbW8gUm9vdCBDQTB2\n"
	"MBAGByqGSM49AgEGBSuBBAAiA2IABBEFsOgItA+45DqJjNNUdKMzZaG+P0hvr2L9\n"
	"ZSFpUQjtxSubPxTHRaPnMjlC5sb9bzF9NqenyLKi6vkrm5v1PyZMvpbCHudHewcE\n"
	"CgCFNf6sxRqLIA7LNE2aFmM9nROkYqNCMEAwDwYDVR0TAQH/BAUwAwEB/zAdBgNV\n"
	"HQ4EFgQUNaq6vYGdr76rkQqCCFhjCV+MtykwDgYDVR0PAQH/BAQDAgEGMAoGCCqG\n"
	"SM49BAMCA2cAMGQCMGg6E2+8uWGgCSktA3R2CcNXB21oW7vz+tbfC+HOTT9fIHgH\n"
	"oN0g4Dj78AOBozVQ7QIwXiH4JPcA+Gd0c+ZUm3agcs+yYJfr8uXrXcxhcz2/qOKA\n"
	"Kbfwf+NXL0SjTySsSpvU\n"
	"-----END CERTIFICATE-----\n";

static sohoa_signer_verifier *verifier;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/sohoa-fuzz-trust-XXXXXX";
	int fd = mkstemp(path);
	(void)argc;
	(void)argv;
	if (fd < 0 || write(fd, root_pem, sizeof root_pem - 1) != (ssize_t)(sizeof root_pem - 1))
		abort();
	close(fd);
	if (sohoa_signer_verifier_new(&verifier, path, NULL) < 0)
		abort();
	unlink(path);
	/* the seeds were signed on 2026-11-23; verify as of then, always */
	sohoa_signer_verifier_set_time(verifier, 1795451400);
	return 0;
}

static void check(const sohoa_signer_report *r, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	size_t passed = 0;
	for (size_t i = 0; i < r->nsigs; i++) {
		const sohoa_signer_result *s = &r->sigs[i];
		if ((s->indication == SOHOA_SIGNER_TOTAL_PASSED) != (s->sub == SOHOA_SIGNER_SUB_NONE &&
								      !s->detail))
			abort(); /* a verdict without reason, or a pass with one */
		passed += s->indication == SOHOA_SIGNER_TOTAL_PASSED;
	}
	if (passed && (!r->content || r->content->parent != root || r->error))
		abort(); /* something passed but what was signed is not the package's Content */
	if (r->passed && (passed != r->nsigs || r->nsigs == 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	sohoa_signer_report *r = NULL;
	xmlDocPtr doc = NULL;

	lim.max_xml_depth = 32;
	if (sohoa_xml_parse(&doc, (const char *)data, size, "fuzz.xml", &lim) < 0)
		return 0;
	if (sohoa_signer_verify_doc(&r, verifier, doc, "fuzz.xml") == 0) {
		if (!r)
			abort();
		check(r, doc);
		sohoa_signer_report_free(r);
	}
	xmlFreeDoc(doc);
	return 0;
}
