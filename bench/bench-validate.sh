#!/bin/bash
# bench/bench-validate.sh - certification path validation per second in one process:
# `xe2e cert-check` next to `openssl verify`, in the same run, on the same 4-certificate
# chains with CRLs, and the worst cases the work budgets allow.
#
# Usage:  [XE2E=path/to/xe2e] [ITER=10] [LEAVES=100] bash bench/bench-validate.sh
#
# The chain: root -> CA 1 -> CA 2 -> end entity (RSA-2048, SHA-256), a CRL of 200
# entries from each CA (the root's too), --crl-check require / -crl_check_all.  One
# process validates LEAVES different end entities (different leaves: xe2e remembers a
# validated path within a process, and that memory is not what is measured).  ITER rounds,
# interleaved, the order alternating.  Then the worst cases: a mesh of same-named CAs
# that makes path building try every candidate until the budget (1024) is spent, and a
# policy-mapping fan-out that fills the policy tree (1024 nodes; the tree would
# grow sevenfold a level); each timed once per
# round for both tools.
# Not a test and never a pass/fail gate: exits 0 after printing, non-zero only when it
# cannot run.  See bench/README.md.

. "$(cd -- "$(dirname -- "$0")" && pwd)/lib.sh" || exit 1
ITER=${ITER:-10}
bench_init bench-validate
LEAVES=${LEAVES:-100}
case $LEAVES in '' | *[!0-9]* | 0) die "LEAVES must be a positive integer" ;; esac
[ "$ITER" -ge 1 ] || die "ITER must be a positive integer"

cat >x.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ee]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectAltName = email:bench@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[mesh]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
[req]
distinguished_name = dn
[dn]
CNF
# fan-out: 8 policies, each mapped to the 7 others (56 mappings; 64 is a
# certificate's most) (a config section cannot
# repeat a name, so the extension is given as DER)
command -v python3 >/dev/null 2>&1 || die "python3 not found"
{
	printf '[fan]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n'
	printf 'certificatePolicies = 1.3.6.1.4.1.32473.7.1'
	for i in $(seq 2 8); do printf ', 1.3.6.1.4.1.32473.7.%d' "$i"; done
	printf '\npolicyMappings = DER:'
	python3 -c '
def tlv(t, b):
    n = len(b)
    h = bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([t]) + h + b
o = lambda k: tlv(6, bytes.fromhex("2b0601040181fd5907") + bytes([k]))
print(tlv(0x30, b"".join(tlv(0x30, o(i) + o((i + j) % 8 + 1)) for i in range(1, 9) for j in range(7))).hex())'
	printf '[ee_fan]\nbasicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\n'
	printf 'extendedKeyUsage = emailProtection\ncertificatePolicies = 2.5.29.32.0\n'
} >>x.cnf
# ca.db for openssl ca -gencrl: 200 revoked serials
mkcrl() {   # mkcrl NAME: NAME.crl (PEM) signed by NAME.pem/k.pem
	mkdir -p "db-$1" && : >"db-$1/index.txt" && echo 01 >"db-$1/crlnumber"
	for s in $(seq 1 200); do
		printf 'R\t301231000000Z\t250101000000Z\t%04X\tunknown\t/CN=gone %d\n' $((s + 60000)) "$s"
	done >"db-$1/index.txt"
	cat >"db-$1/ca.cnf" <<CA
[ca]
default_ca = d
[d]
database = db-$1/index.txt
crlnumber = db-$1/crlnumber
default_md = sha256
default_crl_days = 30
CA
	openssl ca -config "db-$1/ca.cnf" -gencrl -cert "$1.pem" -keyfile k.pem -out "$1.crl"
}
cert() {   # cert NAME SUBJECT ISSUER SECTION SERIAL
	if [ "$3" = - ]; then
		openssl req -x509 -new -key k.pem -subj "$2" -days 30 -set_serial "$5" -config x.cnf \
			-extensions "$4" -out "$1.pem"
	else
		openssl req -new -key k.pem -subj "$2" -config x.cnf -out "$1.csr" &&
			openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey k.pem -set_serial "$5" -days 30 \
				-extfile x.cnf -extensions "$4" -out "$1.pem"
	fi
}
make_all() {
	local i prev=root
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem &&
		cert root "/CN=Bench Root" - ca 1 && cert ca1 "/CN=Bench CA 1" root ca 2 &&
		cert ca2 "/CN=Bench CA 2" ca1 ca 3 && mkcrl root && mkcrl ca1 && mkcrl ca2 || return 1
	for i in $(seq 1 "$LEAVES"); do cert "ee$i" "/CN=Bench EE $i" ca2 ee $((1000 + i)) || return 1; done
	cat ca1.pem ca2.pem >inter.pem && cat root.crl ca1.crl ca2.crl >crls.pem || return 1
	# the mesh: 12 CAs named "Mesh", each issued by "Mesh" with the one key,
	# and a leaf under them; no path reaches the anchor
	for i in $(seq 1 12); do cert "mesh$i" "/CN=Mesh" - mesh $((5000 + i)) || return 1; done
	cat mesh*.pem >mesh.pem && cert meshee "/CN=Mesh EE" mesh1 ee 6000 || return 1
	# the fan-out: 14 CAs, each asserting and mapping 8 policies
	for i in $(seq 1 14); do
		cert "fan$i" "/CN=Fan $i" "$prev" fan $((7000 + i)) || return 1
		prev=fan$i
	done
	cat fan*.pem >fan.pem && cert fanee "/CN=Fan EE" fan14 ee_fan 7100
}
make_all >gen.log 2>&1 || { tail -20 gen.log >&2; die "openssl could not make the chains"; }
LEAF_ARGS=()
for i in $(seq 1 "$LEAVES"); do LEAF_ARGS+=("ee$i.pem"); done

x_chain() {
	"$XE2E" cert-check --quiet --ca root.pem --untrusted inter.pem --crl crls.pem \
		--crl-check require "${LEAF_ARGS[@]}"
}
o_chain() {
	openssl verify -CAfile root.pem -untrusted inter.pem -CRLfile crls.pem -crl_check_all \
		"${LEAF_ARGS[@]}"
}
# the worst cases end in a refusal: what is timed is the time to it
x_mesh() { ! "$XE2E" cert-check --ca root.pem --untrusted mesh.pem meshee.pem; }
o_mesh() { ! openssl verify -CAfile root.pem -untrusted mesh.pem meshee.pem; }
x_fan() { "$XE2E" cert-check --ca root.pem --untrusted fan.pem fanee.pem || true; }
o_fan() { openssl verify -CAfile root.pem -untrusted fan.pem -policy_check fanee.pem || true; }

x_chain >check.log 2>&1 || { cat check.log >&2; die "xe2e cert-check does not accept the chain"; }
o_chain >check.log 2>&1 || { cat check.log >&2; die "openssl verify does not accept the chain"; }
"$XE2E" cert-check --ca root.pem --untrusted mesh.pem meshee.pem >mesh.log 2>&1
"$XE2E" cert-check --ca root.pem --untrusted fan.pem fanee.pem >fan.log 2>&1

echo "xe2e:    $XE2E"
echo "openssl: $(openssl version)"
echo "chain:   root -> CA 1 -> CA 2 -> end entity, RSA-2048/SHA-256, 3 CRLs of 200 entries, CRLs required"
echo "rounds:  $ITER, each one process validating $LEAVES end entities per tool (interleaved)"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1) (adds a constant)"
bench_loop "x_chain o_chain x_mesh o_mesh x_fan o_fan" "o_chain x_chain o_mesh x_mesh o_fan x_fan"

# startup is in both (one process each); per validation = time / LEAVES
rate() { awk -v u="$(q "$1.t" 0.5)" -v n="$LEAVES" 'BEGIN { printf "%.0f", n / (u / 1e6) }'; }
printf '\n%-34s %12s %14s\n' "4-certificate chain with CRLs" "median ms" "validations/s"
printf '%-34s %12s %14s\n' "xe2e cert-check" "$(ms "$(q x_chain.t 0.5)")" "$(rate x_chain)"
printf '%-34s %12s %14s\n' "openssl verify -crl_check_all" "$(ms "$(q o_chain.t 0.5)")" "$(rate o_chain)"
printf 'ratio xe2e/openssl (time)  median-of-times %s   median-of-paired-ratios %s\n' \
	"$(div "$(q x_chain.t 0.5)" "$(q o_chain.t 0.5)")" \
	"$(awk -v r="$(pratio x_chain.t o_chain.t)" 'BEGIN { printf "%.2f", r }')"

printf '\n%-34s %12s %12s\n' "worst cases (one process each)" "xe2e ms" "openssl ms"
printf '%-34s %12s %12s\n' "path building, 12 same-named CAs" "$(ms "$(q x_mesh.t 0.5)")" "$(ms "$(q o_mesh.t 0.5)")"
printf '%-34s %12s %12s\n' "policy tree, 14 CAs x 56 mappings" "$(ms "$(q x_fan.t 0.5)")" "$(ms "$(q o_fan.t 0.5)")"
echo "xe2e on the mesh:    $(head -c 200 mesh.log)"
echo "xe2e on the fan-out: $(head -c 200 fan.log | head -1)"
exit 0
