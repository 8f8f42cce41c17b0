// tests/signer/xadesjs/verify.mjs: xadesjs (PeculiarVentures, on WebCrypto) as an
// independent verifier of the XAdES signatures in a sohoa package.xml.
//
//   node verify.mjs PACKAGE.xml [--count N]
//
// For each ds:Signature child of Signatures, xadesjs checks every reference digest
// (the #content one and the SignedProperties one) and the signature value; on top
// of that this script checks, with WebCrypto, what xadesjs itself does not: that
// SignedInfo references this signature's own xades:SignedProperties (Type
// SignedProperties) and #content, that QualifyingProperties targets the
// signature, and that SigningCertificateV2 (or V1) names a KeyInfo certificate
// whose key is the one the signature value verifies with. Prints one line per
// signature, "<Id> PASSED <algorithm> <role>" or "<Id> FAILED <reason>".
// Exit status: 0 every signature passed (and there are N of them with --count),
// 1 some failed or none found, 2 bad usage or unreadable file.
import { readFileSync } from 'node:fs';
import { webcrypto } from 'node:crypto';
import { DOMParser, XMLSerializer, DOMImplementation } from '@xmldom/xmldom';
import xpath from 'xpath';
import * as xadesjs from 'xadesjs';

const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const PKG = 'urn:sohoa:package:1';
const SP_TYPE = 'http://uri.etsi.org/01903#SignedProperties';
const DIGESTS = {
	'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
	'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
	'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

xadesjs.Application.setEngine('NodeJS', webcrypto);
xadesjs.setNodeDependencies({ DOMParser, XMLSerializer, DOMImplementation, xpath });

function children(el, ns, name) {
	const out = [];
	for (let n = el.firstChild; n; n = n.nextSibling)
		if (n.nodeType === 1 && n.namespaceURI === ns && n.localName === name) out.push(n);
	return out;
}

function descendants(el, ns, name) {
	return Array.from(el.getElementsByTagNameNS(ns, name));
}

function b64(buf) {
	return Buffer.from(buf).toString('base64');
}

// The KeyInfo certificate SigningCertificateV2/V1 designates, or throws.
async function signingCertificate(sx, sig) {
	const certs = [];
	for (const kic of sx.XmlSignature.KeyInfo.GetIterator())
		if (kic.Certificates)
			for (const c of kic.Certificates) certs.push(c);
	if (!certs.length) throw new Error('no X509Certificate in KeyInfo');
	const sp = descendants(sig, XADES, 'SignedSignatureProperties');
	if (sp.length !== 1) throw new Error('no single SignedSignatureProperties');
	const sc = [
		...children(sp[0], XADES, 'SigningCertificateV2'),
		...children(sp[0], XADES, 'SigningCertificate'),
	];
	if (sc.length !== 1) throw new Error('no single SigningCertificate(V2)');
	const cd = descendants(sc[0], XADES, 'CertDigest');
	if (!cd.length) throw new Error('SigningCertificate without CertDigest');
	const method = children(cd[0], DS, 'DigestMethod')[0]?.getAttribute('Algorithm');
	const value = children(cd[0], DS, 'DigestValue')[0]?.textContent.replace(/\s/g, '');
	const alg = DIGESTS[method];
	if (!alg) throw new Error(`CertDigest algorithm not accepted: ${method}`);
	for (const c of certs)
		if (b64(await webcrypto.subtle.digest(alg, c.GetRaw())) === value) return c;
	throw new Error('SigningCertificate CertDigest matches no KeyInfo certificate');
}

// The XAdES structure xadesjs does not check on its own.
function checkXadesStructure(sx, sig) {
	const id = sig.getAttribute('Id');
	const props = sx.Properties;
	if (!id) throw new Error('signature without Id');
	if (!props) throw new Error('no xades:QualifyingProperties');
	if (props.Target !== `#${id}`) throw new Error(`QualifyingProperties Target ${props.Target}`);
	const spId = props.SignedProperties.Id;
	if (!spId) throw new Error('SignedProperties without Id');
	const refs = sx.XmlSignature.SignedInfo.References.GetIterator();
	const toSp = refs.filter((r) => r.Uri === `#${spId}`);
	if (toSp.length !== 1 || toSp[0].Type !== SP_TYPE)
		throw new Error('SignedInfo has no single SignedProperties reference');
	if (refs.filter((r) => r.Uri === '#content').length !== 1)
		throw new Error('SignedInfo has no single #content reference');
	if (refs.length !== 2) throw new Error(`${refs.length} references, 2 expected`);
	if (!props.SignedProperties.SignedSignatureProperties.SigningTime.Value)
		throw new Error('no SigningTime');
}

async function verifyOne(doc, sig) {
	const sx = new xadesjs.SignedXml(doc);
	sx.LoadXml(sig);
	checkXadesStructure(sx, sig);
	const cert = await signingCertificate(sx, sig);
	const alg = sx.Algorithm; // from SignatureMethod, via xmldsigjs' algorithm table
	const key = await cert.exportKey({ ...alg, hash: alg.hash });
	// every reference digest (#content and the SignedProperties), then the value
	await sx.ValidateReferences(doc.documentElement.cloneNode(true));
	if (!(await sx.ValidateSignatureValue([key])))
		throw new Error('signature value does not verify with the signing certificate');
	const role = descendants(sig, XADES, 'ClaimedRole')[0]?.textContent ?? '-';
	return `${sx.XmlSignature.SignedInfo.SignatureMethod.Algorithm} ${role}`;
}

async function main(argv) {
	let file = null;
	let count = -1;
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--count' && i + 1 < argv.length) count = Number(argv[++i]);
		else if (!file) file = argv[i];
		else file = undefined;
	}
	if (!file || Number.isNaN(count)) {
		process.stderr.write('usage: node verify.mjs PACKAGE.xml [--count N]\n');
		return 2;
	}
	let doc;
	try {
		const text = readFileSync(file, 'utf8');
		if (/<!DOCTYPE/i.test(text)) throw new Error('DOCTYPE refused');
		doc = new DOMParser().parseFromString(text, 'application/xml');
	} catch (e) {
		process.stderr.write(`${file}: ${e.message}\n`);
		return 2;
	}
	const root = doc.documentElement;
	const sigsEl = root && root.namespaceURI === PKG ? children(root, PKG, 'Signatures') : [];
	const sigs = sigsEl.length === 1 ? children(sigsEl[0], DS, 'Signature') : [];
	let failed = 0;
	for (const sig of sigs) {
		const id = sig.getAttribute('Id') || '(no Id)';
		try {
			process.stdout.write(`${id} PASSED ${await verifyOne(doc, sig)}\n`);
		} catch (e) {
			failed++;
			process.stdout.write(`${id} FAILED ${e.message || e}\n`);
		}
	}
	if (!sigs.length) {
		process.stdout.write(`${file}: no ds:Signature in Signatures\n`);
		return 1;
	}
	if (count >= 0 && sigs.length !== count) {
		process.stdout.write(`${file}: ${sigs.length} signatures, ${count} expected\n`);
		return 1;
	}
	return failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
