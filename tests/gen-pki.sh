#!/bin/bash
# gen-pki.sh OUTDIR -- generate the throw-away test PKI used by tests/cli/*.sh.
#
# Uses nothing but openssl(1) (3.0 or later).  Every run writes the same file
# names into OUTDIR (created if missing, existing files overwritten), so the
# script is idempotent; callers that share one OUTDIR between parallel tests
# must serialise (tests/lib.sh generates into a temporary directory under
# flock(1) and renames it into place).  The keys are fresh on every run: these
# certificates are for tests only and must never be trusted for anything else.
#
# Files (PEM unless named .der; every key is unencrypted PKCS#8 PEM unless said):
#   ca.pem ca.key               RSA-2048 root "Example Test Root CA", sha256,
#                               basicConstraints critical CA:TRUE,
#                               keyUsage critical keyCertSign,cRLSign
#   other-ca.pem other-ca.key   a second, unrelated root
#   cas.pem                     other-ca.pem followed by ca.pem (bundle)
#   ca-dir/ca.pem               directory holding only the root (for --ca DIR)
#   inter.pem inter.key         intermediate CA issued by ca (pathlen 0)
#   chain.pem                   = inter.pem (what `xe2e sign --chain` takes)
#   signer.pem signer.key       end entity issued by inter, RSA-2048,
#                               subject CN=Juliet Capulet,O=Example,
#                               KU critical digitalSignature,nonRepudiation,
#                               keyEncipherment; EKU emailProtection; SAN
#                               email:juliet@example.com, URI:im:juliet@example.com,
#                               otherName id-on-xmppAddr UTF8 juliet@example.com
#   signer.pass                 passphrase "test pass" (no trailing newline)
#   signer.p8 / signer-p8.der   signer.key as encrypted PKCS#8 (PBES2/AES-256), PEM / DER
#   signer.der                  signer.pem in DER
#   signer-key.der              signer.key as unencrypted PKCS#8 DER
#   signer-pkcs1.key / signer-pkcs1-key.der   signer.key as PKCS#1 RSAPrivateKey PEM / DER
#   direct.pem direct.key       end entity issued directly by ca
#   romeo.pem romeo.key         end entity issued by ca, CN=Romeo Montague, SAN
#                               email:romeo@example.net, URI:im:romeo@example.net,
#                               URI:pres:romeo@example.net, otherName
#                               id-on-xmppAddr romeo@example.net (RFC 3923 §6.3)
#   x400-smith.pem .key         end entity issued by inter whose only
#                               subjectAltName is an x400Address (RFC 3854 §4.3):
#                               C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John
#   x400-jones.pem .key         the same with S=Jones
#   expired.pem expired.key     issued by ca, valid 2020-01-01 .. 2021-01-01 only
#   revoked.pem revoked.key     issued by ca, listed in crl.pem
#   crl.pem crl.der             CRL from ca listing revoked.pem's serial
#                               (nextUpdate ~10 years ahead)
#   crl-empty.pem               CRL from ca listing nothing
#   noku.pem noku.key           issued by ca, KU critical keyEncipherment only
#   serverauth.pem .key         issued by ca, EKU serverAuth only
#   signonly.pem signonly.key   issued by ca, KU critical digitalSignature only
#                               (not usable as an encryption recipient)
#   dsa.pem dsa.key             DSA-2048 (q 256) end entity issued by ca,
#                               KU critical digitalSignature,nonRepudiation
#   selfsigned.pem .key         self-signed end entity, not under ca
# Every end entity has EKU emailProtection and an rfc822Name unless said above.
#
# For the cert-check tests (tests/cli/t06*), all prefixed cc-; every cc- end
# entity uses the one key cc-ee.key unless said, every cc- RSA key is RSA-1024
# unless said, every cc- end entity has KU critical
# digitalSignature,nonRepudiation,keyEncipherment, EKU emailProtection and
# SAN email:<name>@example.com unless said:
#   cc-i1.pem .key              CA issued by ca, CN=CC Level 1 CA, no pathlen
#   cc-i2.pem .key              CA issued by cc-i1, CN=CC Level 2 CA, pathlen 0
#   cc-i2-imp.pem cc-imp.key    impostor: same subject as cc-i2, other key,
#                               also issued by cc-i1 (valid, but signs nothing)
#   cc-leaf.pem                 issued by cc-i2 (root > cc-i1 > cc-i2 > leaf)
#   cc-ca-reissued.pem          ca.key self-signed again: same subject and key
#                               as ca.pem, other serial, 3000 days
#   cc-inter-reissued.pem       inter.key certified again by ca: same subject,
#                               key and extensions as inter.pem, other serial,
#                               2000 days
#   cc-sub.pem .key             CA:TRUE issued by inter (which has pathlen 0)
#   cc-sub-ee.pem               issued by cc-sub
#   cc-nobc.pem .key            issued by ca, KU keyCertSign,cRLSign but no
#                               basicConstraints at all; cc-nobc-ee.pem under it
#   cc-bcfalse.pem              key cc-nobc.key, issued by ca, basicConstraints
#                               critical CA:FALSE, KU keyCertSign;
#                               cc-bcfalse-ee.pem under it
#   cc-nokcs.pem .key           CA issued by ca, KU critical cRLSign only
#                               (no keyCertSign); cc-nokcs-ee.pem under it
#   cc-nocrls.pem .key          CA issued by ca, KU critical keyCertSign only
#                               (no cRLSign); cc-nocrls-ee.pem under it;
#                               cc-nocrls-crl.pem an (empty) CRL it signed
#   cc-ku-nr.pem                issued by ca, KU critical nonRepudiation only
#   cc-ku-none.pem              issued by ca, neither KU nor EKU
#   cc-eku-any.pem              issued by ca, EKU anyExtendedKeyUsage only
#   cc-eku-mixed.pem            issued by ca, EKU serverAuth,emailProtection
#   cc-empty-crit.pem           issued by ca, empty subject, SAN critical
#   cc-empty-noncrit.pem        issued by ca, empty subject, SAN not critical
#   cc-md5.pem                  issued by ca, signed md5WithRSAEncryption
#   cc-sha1.pem                 issued by ca, signed sha1WithRSAEncryption
#   cc-rsa768.pem cc-weak.key   issued by ca, subject key RSA-768
#   cc-dsa-ca.pem .key          self-signed DSA-1024 (q 160) root, signed
#                               id-dsa-with-sha1
#   cc-dsa-ee.pem               issued by cc-dsa-ca, id-dsa-with-sha1
#   cc-old-ca.pem cc-old.key    root valid 2000-01-01 .. 2040-01-01
#   cc-old-expired.pem          issued by cc-old-ca, valid 2010-01-01 .. 2011-01-01
#   cc-old-current.pem          issued by cc-old-ca, valid from generation time
#   cc-old-long.pem             issued by cc-old-ca, valid 2020-01-01 .. 2040-01-01
#   cc-xmpp.pem                 issued by ca, SAN only otherName id-on-xmppAddr
#                               UTF8 Romeo@Example.NET
#   cc-im.pem / cc-pres.pem     issued by ca, SAN only URI im:Romeo@Example.NET /
#                               URI pres:Romeo@Example.NET
#   cc-dnemail.pem              issued by ca, subject CN=DN Email,O=Example,
#                               emailAddress=Nurse@Example.COM, no SAN
# Work files (openssl.cnf, db/, *.csr, gen.log) are left in OUTDIR.

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 1
fi
OPENSSL=${OPENSSL:-openssl}
mkdir -p -- "$1" || exit 1
OUT=$(cd -- "$1" && pwd) || exit 1
cd -- "$OUT" || exit 1
LOG=$OUT/gen.log
: >"$LOG"

die() {
	echo "gen-pki.sh: $*" >&2
	tail -n 20 "$LOG" >&2
	exit 1
}

# run CMD... -- run openssl quietly, logging its chatter; die on failure.
run() {
	echo "+ $OPENSSL $*" >>"$LOG"
	"$OPENSSL" "$@" >>"$LOG" 2>&1 || die "openssl $1 failed"
}

rm -rf db ca-dir
mkdir -p db/new db/empty || die "mkdir"
: >db/index.txt
: >db/empty/index.txt
echo 1000 >db/serial
echo 2000 >db/inter-serial
echo 01 >db/crlnumber
echo 01 >db/empty/crlnumber

cat >openssl.cnf <<EOF
# generated by gen-pki.sh -- test PKI only
[ req ]
distinguished_name = req_dn
prompt = no
utf8 = yes
string_mask = utf8only
[ req_dn ]
CN = unused

[ ca ]
default_ca = ca_root

[ ca_root ]
database = $OUT/db/index.txt
new_certs_dir = $OUT/db/new
serial = $OUT/db/serial
crlnumber = $OUT/db/crlnumber
certificate = $OUT/ca.pem
private_key = $OUT/ca.key
default_md = sha256
default_days = 3650
default_crl_days = 3650
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
crl_extensions = crl_ext

[ ca_root_empty ]
database = $OUT/db/empty/index.txt
new_certs_dir = $OUT/db/new
serial = $OUT/db/serial
crlnumber = $OUT/db/empty/crlnumber
certificate = $OUT/ca.pem
private_key = $OUT/ca.key
default_md = sha256
default_crl_days = 3650
policy = policy_any
unique_subject = no
crl_extensions = crl_ext

[ ca_inter ]
database = $OUT/db/index.txt
new_certs_dir = $OUT/db/new
serial = $OUT/db/inter-serial
crlnumber = $OUT/db/crlnumber
certificate = $OUT/inter.pem
private_key = $OUT/inter.key
default_md = sha256
default_days = 3650
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional

[ crl_ext ]
authorityKeyIdentifier = keyid:always

[ v3_root ]
subjectKeyIdentifier = hash
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign

[ v3_inter ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign

[ v3_signer ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = @signer_san
[ signer_san ]
email.1 = juliet@example.com
URI.1 = im:juliet@example.com
otherName.1 = 1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com

[ v3_romeo ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = @romeo_san
[ romeo_san ]
email.1 = romeo@example.net
URI.1 = im:romeo@example.net
URI.2 = pres:romeo@example.net
otherName.1 = 1.3.6.1.5.5.7.8.5;UTF8:romeo@example.net

# GeneralNames { x400Address [3] { C=GB, ADMD=" ", PRMD=Acme, O=Acme,
#   personal-name { S=Smith (or Jones), G=John } } }: a raw DER extension,
# since openssl's subjectAltName syntax has no x400Address
[ v3_x400_smith ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = emailProtection
2.5.29.17 = DER:30:2c:a3:2a:30:28:61:04:13:02:47:42:62:03:13:01:20:a2:06:13:04:41:63:6d:65:83:04:41:63:6d:65:a5:0d:80:05:53:6d:69:74:68:81:04:4a:6f:68:6e
[ v3_x400_jones ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = emailProtection
2.5.29.17 = DER:30:2c:a3:2a:30:28:61:04:13:02:47:42:62:03:13:01:20:a2:06:13:04:41:63:6d:65:83:04:41:63:6d:65:a5:0d:80:05:4a:6f:6e:65:73:81:04:4a:6f:68:6e

[ v3_ee ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:\${ENV::XE2E_GEN_EMAIL}

[ v3_noku ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:noku@example.com

[ v3_serverauth ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = email:server@example.com

[ v3_signonly ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = emailProtection
subjectAltName = email:signonly@example.com

[ v3_dsa ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = emailProtection
subjectAltName = email:dsa@example.com

[ v3_selfsigned ]
subjectKeyIdentifier = hash
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:self@example.com
EOF
# sections for the cc- certificates (cert-check tests)
cat >>openssl.cnf <<EOF

[ ca_old ]
database = $OUT/db/old/index.txt
new_certs_dir = $OUT/db/new
serial = $OUT/db/old-serial
certificate = $OUT/cc-old-ca.pem
private_key = $OUT/cc-old.key
default_md = sha256
default_days = 3650
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[ ca_nocrls ]
database = $OUT/db/nocrls/index.txt
new_certs_dir = $OUT/db/new
crlnumber = $OUT/db/nocrls/crlnumber
certificate = $OUT/cc-nocrls.pem
private_key = $OUT/cc-nocrls.key
default_md = sha256
default_crl_days = 3650
crl_extensions = crl_ext

[ cc_ca ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign

[ cc_nobc ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
keyUsage = critical,keyCertSign,cRLSign

[ cc_bcfalse ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign

[ cc_nokcs ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:TRUE
keyUsage = critical,cRLSign

[ cc_nocrls ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign

[ cc_ku_nr ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,nonRepudiation
extendedKeyUsage = emailProtection
subjectAltName = email:\${ENV::XE2E_GEN_EMAIL}

[ cc_ku_none ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
subjectAltName = email:\${ENV::XE2E_GEN_EMAIL}

[ cc_eku_any ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = anyExtendedKeyUsage
subjectAltName = email:\${ENV::XE2E_GEN_EMAIL}

[ cc_eku_mixed ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = serverAuth,emailProtection
subjectAltName = email:\${ENV::XE2E_GEN_EMAIL}

[ cc_empty_crit ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = critical,email:\${ENV::XE2E_GEN_EMAIL}

[ cc_xmpp ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = otherName:1.3.6.1.5.5.7.8.5;UTF8:Romeo@Example.NET

[ cc_uri ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = URI:\${ENV::XE2E_GEN_URI}

[ cc_nosan ]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment
extendedKeyUsage = emailProtection
EOF
export XE2E_GEN_URI=unused:x
# \${ENV::...} needs a value even when the section is not used.
export XE2E_GEN_EMAIL=unused@example.com

# --- keys, generated in parallel (the slow part) ------------------------------
rsa_names="ca other-ca inter signer direct expired revoked noku serverauth selfsigned signonly
	romeo x400-smith x400-jones"
pids=
for n in $rsa_names; do
	"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$n.key" >>"$LOG" 2>&1 &
	pids="$pids $!"
done
( "$OPENSSL" genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 \
	-pkeyopt dsa_paramgen_q_bits:256 -out db/dsaparam.pem &&
  "$OPENSSL" genpkey -paramfile db/dsaparam.pem -out dsa.key ) >>"$LOG" 2>&1 &
pids="$pids $!"
( "$OPENSSL" genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 \
	-pkeyopt dsa_paramgen_q_bits:160 -out db/dsa1024param.pem &&
  "$OPENSSL" genpkey -paramfile db/dsa1024param.pem -out cc-dsa-ca.key ) >>"$LOG" 2>&1 &
pids="$pids $!"
"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:768 -out cc-weak.key >>"$LOG" 2>&1 &
pids="$pids $!"
# the cc- keys are RSA-1024 (the smallest --policy modern accepts): fast to make
for n in cc-ee cc-i1 cc-i2 cc-imp cc-sub cc-nobc cc-nokcs cc-nocrls cc-old; do
	"$OPENSSL" genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
		-out "$n.key" >>"$LOG" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || die "key generation failed"
done

# --- roots --------------------------------------------------------------------
run req -config openssl.cnf -new -x509 -sha256 -days 3650 -key ca.key \
	-subj "/O=Example/CN=Example Test Root CA" -extensions v3_root -out ca.pem
run req -config openssl.cnf -new -x509 -sha256 -days 3650 -key other-ca.key \
	-subj "/O=Other/CN=Other Test Root CA" -extensions v3_root -out other-ca.pem
run req -config openssl.cnf -new -x509 -sha256 -days 3650 -key selfsigned.key \
	-subj "/O=Example/CN=Self Signed" -extensions v3_selfsigned -out selfsigned.pem

# issue NAME CA-SECTION SUBJECT EXT-SECTION [openssl ca options...]
issue() {
	local name=$1 casec=$2 subj=$3 ext=$4
	shift 4
	run req -config openssl.cnf -new -key "$name.key" -subj "$subj" -out "db/$name.csr"
	run ca -config openssl.cnf -batch -name "$casec" -preserveDN -notext \
		-extensions "$ext" -in "db/$name.csr" -out "$name.pem" "$@"
}

issue inter ca_root "/O=Example/CN=Example Test Intermediate CA" v3_inter
issue signer ca_inter "/O=Example/CN=Juliet Capulet" v3_signer
issue romeo ca_root "/O=Example/CN=Romeo Montague" v3_romeo
issue x400-smith ca_inter "/O=Acme/CN=John Smith" v3_x400_smith
issue x400-jones ca_inter "/O=Acme/CN=John Jones" v3_x400_jones
XE2E_GEN_EMAIL=direct@example.com \
	issue direct ca_root "/O=Example/CN=Direct Signer" v3_ee
XE2E_GEN_EMAIL=expired@example.com \
	issue expired ca_root "/O=Example/CN=Expired Signer" v3_ee \
	-startdate 20200101000000Z -enddate 20210101000000Z
XE2E_GEN_EMAIL=revoked@example.com \
	issue revoked ca_root "/O=Example/CN=Revoked Signer" v3_ee
issue noku ca_root "/O=Example/CN=No Signing KU" v3_noku
issue serverauth ca_root "/O=Example/CN=Server Auth Only" v3_serverauth
issue dsa ca_root "/O=Example/CN=DSA Signer" v3_dsa
issue signonly ca_root "/O=Example/CN=Sign Only" v3_signonly

# --- CRLs ---------------------------------------------------------------------
run ca -config openssl.cnf -batch -name ca_root -revoke revoked.pem -crl_reason keyCompromise
run ca -config openssl.cnf -batch -name ca_root -gencrl -out crl.pem
run crl -in crl.pem -outform DER -out crl.der
# an hour older than crl.pem, so that "the most recent CRL counts" (RFC 3850
# §5) never depends on whether a second boundary fell between the two
run ca -config openssl.cnf -batch -name ca_root_empty -gencrl -out crl-empty.pem \
	-crl_lastupdate "$(date -u -d '-1 hour' +%Y%m%d%H%M%SZ)" -crldays 3650

# --- derived forms ------------------------------------------------------------
cp inter.pem chain.pem || die "cp"
cat other-ca.pem ca.pem >cas.pem || die "cat"
mkdir ca-dir && cp ca.pem ca-dir/ca.pem || die "ca-dir"
printf '%s' 'test pass' >signer.pass || die "pass"
run pkcs8 -topk8 -in signer.key -v2 aes-256-cbc -passout file:signer.pass -out signer.p8
run pkcs8 -topk8 -in signer.key -v2 aes-256-cbc -passout file:signer.pass \
	-outform DER -out signer-p8.der
run x509 -in signer.pem -outform DER -out signer.der
run pkey -in signer.key -outform DER -out signer-key.der
run rsa -in signer.key -traditional -out signer-pkcs1.key
run rsa -in signer.key -traditional -outform DER -out signer-pkcs1-key.der

# --- cc- certificates for the cert-check tests ---------------------------------
mkdir -p db/old db/nocrls || die "mkdir"
: >db/old/index.txt
: >db/nocrls/index.txt
echo 3000 >db/old-serial
echo 01 >db/nocrls/crlnumber
cc_serial=4000

# xsign NAME KEY ISSUER SUBJECT EXT-SECTION [x509 options...] -- NAME.pem
# for KEY.key, signed by ISSUER.pem/ISSUER.key (openssl x509 -req)
xsign() {
	local name=$1 key=$2 issuer=$3 subj=$4 ext=$5
	shift 5
	cc_serial=$((cc_serial + 1))
	run req -config openssl.cnf -new -key "$key.key" -subj "$subj" -out "db/$name.csr"
	run x509 -req -in "db/$name.csr" -CA "$issuer.pem" -CAkey "$issuer.key" \
		-set_serial "$cc_serial" -days 3650 -extfile openssl.cnf -extensions "$ext" \
		-out "$name.pem" "$@"
}
# ee NAME ISSUER SUBJECT EXT-SECTION [x509 options...] -- end entity, key cc-ee,
# SAN email NAME@example.com where the section has one
ee() {
	local name=$1
	shift
	XE2E_GEN_EMAIL=$name@example.com xsign "$name" cc-ee "$@"
}

xsign cc-i1 cc-i1 ca "/O=Example/CN=CC Level 1 CA" cc_ca
xsign cc-i2 cc-i2 cc-i1 "/O=Example/CN=CC Level 2 CA" v3_inter
xsign cc-i2-imp cc-imp cc-i1 "/O=Example/CN=CC Level 2 CA" v3_inter
ee cc-leaf cc-i2 "/O=Example/CN=CC Leaf" v3_ee
cc_serial=$((cc_serial + 1))
run req -config openssl.cnf -new -x509 -sha256 -days 3000 -set_serial "$cc_serial" \
	-key ca.key -subj "/O=Example/CN=Example Test Root CA" -extensions v3_root \
	-out cc-ca-reissued.pem
cc_serial=$((cc_serial + 1))
run x509 -req -in db/inter.csr -CA ca.pem -CAkey ca.key -set_serial "$cc_serial" \
	-days 2000 -extfile openssl.cnf -extensions v3_inter -out cc-inter-reissued.pem
xsign cc-sub cc-sub inter "/O=Example/CN=CC Below Pathlen 0" cc_ca
ee cc-sub-ee cc-sub "/O=Example/CN=CC Sub EE" v3_ee
xsign cc-nobc cc-nobc ca "/O=Example/CN=CC No BasicConstraints CA" cc_nobc
ee cc-nobc-ee cc-nobc "/O=Example/CN=CC NoBC EE" v3_ee
cp cc-nobc.key cc-bcfalse.key || die "cp"
xsign cc-bcfalse cc-bcfalse ca "/O=Example/CN=CC BC False CA" cc_bcfalse
ee cc-bcfalse-ee cc-bcfalse "/O=Example/CN=CC BCFalse EE" v3_ee
rm -f cc-bcfalse.key
xsign cc-nokcs cc-nokcs ca "/O=Example/CN=CC No keyCertSign CA" cc_nokcs
ee cc-nokcs-ee cc-nokcs "/O=Example/CN=CC NoKCS EE" v3_ee
xsign cc-nocrls cc-nocrls ca "/O=Example/CN=CC No cRLSign CA" cc_nocrls
ee cc-nocrls-ee cc-nocrls "/O=Example/CN=CC NoCRLSign EE" v3_ee
run ca -config openssl.cnf -batch -name ca_nocrls -gencrl -out cc-nocrls-crl.pem
ee cc-ku-nr ca "/O=Example/CN=CC KU nonRepudiation" cc_ku_nr
ee cc-ku-none ca "/O=Example/CN=CC No KU" cc_ku_none
ee cc-eku-any ca "/O=Example/CN=CC EKU any" cc_eku_any
ee cc-eku-mixed ca "/O=Example/CN=CC EKU mixed" cc_eku_mixed
ee cc-empty-crit ca "/" cc_empty_crit
ee cc-empty-noncrit ca "/" v3_ee
ee cc-md5 ca "/O=Example/CN=CC MD5" v3_ee -md5
ee cc-sha1 ca "/O=Example/CN=CC SHA1" v3_ee -sha1
XE2E_GEN_EMAIL=cc-rsa768@example.com \
	xsign cc-rsa768 cc-weak ca "/O=Example/CN=CC RSA 768" v3_ee
run req -config openssl.cnf -new -x509 -sha1 -days 3650 -key cc-dsa-ca.key \
	-subj "/O=Example/CN=CC DSA Root CA" -extensions v3_root -out cc-dsa-ca.pem
ee cc-dsa-ee cc-dsa-ca "/O=Example/CN=CC DSA-signed EE" v3_ee -sha1
run req -config openssl.cnf -new -key cc-old.key -subj "/O=Example/CN=CC Old Root CA" \
	-out db/cc-old.csr
run ca -config openssl.cnf -batch -name ca_old -selfsign -keyfile cc-old.key \
	-preserveDN -notext -extensions v3_root -in db/cc-old.csr -out cc-old-ca.pem \
	-startdate 20000101000000Z -enddate 20400101000000Z
run req -config openssl.cnf -new -key cc-ee.key -subj "/O=Example/CN=CC Old Expired" \
	-out db/cc-old-expired.csr
XE2E_GEN_EMAIL=cc-old-expired@example.com \
	run ca -config openssl.cnf -batch -name ca_old -preserveDN -notext -extensions v3_ee \
	-in db/cc-old-expired.csr -out cc-old-expired.pem \
	-startdate 20100101000000Z -enddate 20110101000000Z
run req -config openssl.cnf -new -key cc-ee.key -subj "/O=Example/CN=CC Old Current" \
	-out db/cc-old-current.csr
XE2E_GEN_EMAIL=cc-old-current@example.com \
	run ca -config openssl.cnf -batch -name ca_old -preserveDN -notext -extensions v3_ee \
	-in db/cc-old-current.csr -out cc-old-current.pem -days 3650
run req -config openssl.cnf -new -key cc-ee.key -subj "/O=Example/CN=CC Old Long" \
	-out db/cc-old-long.csr
XE2E_GEN_EMAIL=cc-old-long@example.com \
	run ca -config openssl.cnf -batch -name ca_old -preserveDN -notext -extensions v3_ee \
	-in db/cc-old-long.csr -out cc-old-long.pem \
	-startdate 20200101000000Z -enddate 20400101000000Z
xsign cc-xmpp cc-ee ca "/O=Example/CN=CC XMPP only" cc_xmpp
XE2E_GEN_URI=im:Romeo@Example.NET xsign cc-im cc-ee ca "/O=Example/CN=CC im URI" cc_uri
XE2E_GEN_URI=pres:Romeo@Example.NET xsign cc-pres cc-ee ca "/O=Example/CN=CC pres URI" cc_uri
xsign cc-dnemail cc-ee ca "/O=Example/CN=DN Email/emailAddress=Nurse@Example.COM" cc_nosan

# --- self-check ---------------------------------------------------------------
run verify -CAfile ca.pem -untrusted inter.pem -purpose smimesign signer.pem
run verify -CAfile ca.pem -purpose smimesign direct.pem
run verify -CAfile ca.pem -purpose smimesign dsa.pem
run verify -CAfile ca.pem -crl_check -CRLfile crl-empty.pem -purpose smimesign revoked.pem
if "$OPENSSL" verify -CAfile ca.pem -crl_check -CRLfile crl.pem revoked.pem >>"$LOG" 2>&1; then
	die "revoked.pem verifies against crl.pem"
fi
if "$OPENSSL" verify -CAfile ca.pem expired.pem >>"$LOG" 2>&1; then
	die "expired.pem verifies"
fi
run verify -CAfile ca.pem -untrusted cc-i1.pem -untrusted cc-i2.pem -purpose smimesign cc-leaf.pem
run verify -CAfile cc-dsa-ca.pem -purpose smimesign cc-dsa-ee.pem
run verify -CAfile cc-old-ca.pem -attime 1275350400 -purpose smimesign cc-old-expired.pem
exit 0
