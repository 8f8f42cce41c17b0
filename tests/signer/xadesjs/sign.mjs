// tests/signer/xadesjs/sign.mjs: xadesjs makes a XAdES B-B signature over #content
// of a sohoa package.xml and appends it to Signatures, so that sohoa's verifier
// is tried on a signature it did not make (the XMLDSig and XAdES code is xadesjs').
//
//   node sign.mjs PACKAGE.xml KEY.pem CERT.pem [--alg pss|pkcs1|ecdsa] [--role R]
//
// KEY.pem: an unencrypted PKCS#8 or traditional private key; CERT.pem: the
// signer's certificate, optionally followed by its chain (all go to KeyInfo).
// --alg: RSASSA-PSS SHA-256 (sha256-rsa-MGF1, the default for RSA), RSA PKCS#1
// v1.5 SHA-256, or ECDSA with the curve's hash (P-256: SHA-256). The file is
// rewritten in place (a test tool: not atomically). Exit 0 signed, 1 failed, 2 usage.
import { readFileSync, writeFileSync } from 'node:fs';
import { webcrypto, createPrivateKey, X509Certificate } from 'node:crypto';
import { DOMParser, XMLSerializer, DOMImplementation } from '@xmldom/xmldom';
import xpath from 'xpath';
import * as xadesjs from 'xadesjs';
import * as xmldsigjs from 'xmldsigjs';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const PKG = 'urn:sohoa:package:1';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const SP_TYPE = 'http://uri.etsi.org/01903#SignedProperties';

xadesjs.Application.setEngine('NodeJS', webcrypto);
xadesjs.setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath });

// xmldsigjs signs RSA-PSS only as RFC 6931 `#rsa-pss` with RSAPSSParams; the
// profile's URI is sha256-rsa-MGF1 (salt 32), which xmldsigjs verifies but
// does not pick when signing. Pick it for exactly that algorithm.
const pickSignatureAlgorithm = xmldsigjs.CryptoConfig.GetSignatureAlgorithm;
xmldsigjs.CryptoConfig.GetSignatureAlgorithm = function (alg) {
	const hash = typeof alg.hash === 'string' ? alg.hash : alg.hash?.name;
	if (alg.name === 'RSA-PSS' && hash === 'SHA-256' && alg.saltLength === 32)
		return new xmldsigjs.RsaPssWithoutParamsSha256();
	return pickSignatureAlgorithm.call(this, alg);
};

// The profile wants an explicit exclusive c14n transform on every reference;
// xadesjs adds the SignedProperties reference without transforms.
class ProfileSignedXml extends xadesjs.SignedXml {
	async ApplySignOptions(signature, algorithm, key, options) {
		await super.ApplySignOptions(signature, algorithm, key, options);
		for (const ref of signature.SignedInfo.References.GetIterator()) {
			if (ref.Type !== SP_TYPE || (ref.Transforms && ref.Transforms.Count)) continue;
			ref.Transforms = new xmldsigjs.Transforms();
			ref.Transforms.Add(new xmldsigjs.XmlDsigExcC14NTransform());
		}
	}
}

function pemBlocks(text) {
	const re = /-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g;
	return Array.from(text.matchAll(re), (m) => m[1].replace(/\s/g, ''));
}

const CURVES = {
	prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
	secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
	secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

// WebCrypto import parameters and signing algorithm for `alg` and the leaf's key.
function algorithms(alg, leaf) {
	if (alg === 'ecdsa') {
		const c = CURVES[leaf.publicKey.asymmetricKeyDetails?.namedCurve];
		if (!c) throw new Error('ECDSA needs a P-256, P-384 or P-521 certificate');
		return [{ name: 'ECDSA', namedCurve: c.namedCurve }, { name: 'ECDSA', hash: c.hash }];
	}
	if (alg === 'pss')
		return [{ name: 'RSA-PSS', hash: 'SHA-256' },
			{ name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 }];
	return [{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
		{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }];
}

async function main(argv) {
	const pos = [];
	let alg = null;
	let role = 'leader';
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--alg' && i + 1 < argv.length) alg = argv[++i];
		else if (argv[i] === '--role' && i + 1 < argv.length) role = argv[++i];
		else pos.push(argv[i]);
	}
	if (pos.length !== 3 || (alg && !['pss', 'pkcs1', 'ecdsa'].includes(alg))) {
		process.stderr.write('usage: node sign.mjs PACKAGE.xml KEY.pem CERT.pem ' +
				     '[--alg pss|pkcs1|ecdsa] [--role R]\n');
		return 2;
	}
	const [file, keyFile, certFile] = pos;
	const certs = pemBlocks(readFileSync(certFile, 'utf8'));
	if (!certs.length) throw new Error(`${certFile}: no certificate`);
	const leaf = new X509Certificate(Buffer.from(certs[0], 'base64'));
	alg ??= leaf.publicKey.asymmetricKeyType === 'ec' ? 'ecdsa' : 'pss';
	const [importAlg, algorithm] = algorithms(alg, leaf);
	const der = createPrivateKey(readFileSync(keyFile, 'utf8')).export({ type: 'pkcs8', format: 'der' });
	const key = await webcrypto.subtle.importKey('pkcs8', der, importAlg, false, ['sign']);

	const text = readFileSync(file, 'utf8');
	const doc = new DOMParser().parseFromString(text, 'application/xml');
	const root = doc.documentElement;
	const sigs = Array.from(root.childNodes).filter(
		(n) => n.nodeType === 1 && n.namespaceURI === PKG && n.localName === 'Signatures');
	if (root.namespaceURI !== PKG || root.localName !== 'Package' || sigs.length !== 1)
		throw new Error(`${file}: not a package with one Signatures element`);

	const sx = new ProfileSignedXml();
	sx.XmlSignature.SignedInfo.CanonicalizationMethod.Algorithm = EXC_C14N;
	await sx.Sign(algorithm, key, doc, {
		references: [{ uri: '#content', hash: 'SHA-256', transforms: ['exc-c14n'] }],
		x509: certs,
		signingCertificateV2: certs[0],
		signerRole: { claimed: [role] },
	});
	// The signature's XML, in its own namespace, under Signatures.
	const el = new DOMParser().parseFromString(sx.toString(), 'application/xml').documentElement;
	if (el.namespaceURI !== DS || el.localName !== 'Signature')
		throw new Error('xadesjs gave no ds:Signature');
	sigs[0].appendChild(doc.importNode(el, true));
	sigs[0].appendChild(doc.createTextNode('\n  '));
	writeFileSync(file, new XMLSerializer().serializeToString(doc));
	process.stdout.write(`${el.getAttribute('Id')} signed by xadesjs\n`);
	return 0;
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (e) {
	process.stderr.write(`sign.mjs: ${e.message || e}\n`);
	process.exitCode = 1;
}
