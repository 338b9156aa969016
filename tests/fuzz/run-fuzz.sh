#!/bin/bash
# tests/fuzz/run-fuzz.sh - build and run the libFuzzer harnesses
# tests/fuzz/fuzz_NAME.c (make fuzz-build, fuzz-run, fuzz-replay, fuzz-check).
#
#   run-fuzz.sh cc     OUT
#   run-fuzz.sh link   OUT SRCDIR BUILDDIR
#   run-fuzz.sh run    OUT SRCDIR SECONDS NAME...
#   run-fuzz.sh replay OUT SRCDIR NAME...
#
# cc: fail, saying so, when $FUZZ_CC cannot build a libFuzzer program
#   (Debian 12: clang, libclang-rt-14-dev).
# link: each harness SRCDIR/tests/fuzz/fuzz_NAME.c compiled and linked with
#   BUILDDIR/lib/libxe2e.a (the library make built there with $FUZZ_CC)
#   into OUT/fuzz_NAME.
# run: each harness for SECONDS on a scratch corpus OUT/new/NAME (kept
#   between runs) with the seeds SRCDIR/tests/fuzz/corpus/NAME read, never
#   written, and SRCDIR/tests/fuzz/NAME.dict if there is one; $FUZZ_JOBS at
#   a time.  A crash, leak, UB report, timeout or OOM fails the run; its
#   input is in OUT/artifacts/NAME/, the report in OUT/logs/NAME.log.
# replay: every file in SRCDIR/tests/fuzz/regress/NAME/ once; each must
#   run clean.
#
# Environment: FUZZ_CC (clang), FUZZ_CFLAGS (the sanitizer flags the
# library was built with), FUZZ_CPPFLAGS (lib's -D and -I), FUZZ_LIBS (what lib links with), FUZZ_JOBS (2),
# FUZZ_MAX_LEN (16384), FUZZ_ARGS (more libFuzzer options for run).
set -u
export LC_ALL=C

FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_JOBS=${FUZZ_JOBS:-2}
FUZZ_MAX_LEN=${FUZZ_MAX_LEN:-16384}
FUZZ_CFLAGS=${FUZZ_CFLAGS:--g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined}
# leaks are findings; a UBSan report ends the process (libFuzzer keeps the input)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

die() {
	echo "run-fuzz: $*" >&2
	exit 1
}

# names of the harnesses in SRCDIR
harnesses() {
	local f
	for f in "$1"/tests/fuzz/fuzz_*.c; do
		[ -f "$f" ] || continue
		f=${f##*/fuzz_}
		echo "${f%.c}"
	done
}

check_cc() {
	local t
	t=$(mktemp -d "${TMPDIR:-/tmp}/run-fuzz.XXXXXX") || die "mktemp failed"
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$t/t.c"
	if ! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined "$t/t.c" -o "$t/t" >"$t/log" 2>&1; then
		sed 's/^/  /' "$t/log" | head -5 >&2
		rm -rf "$t"
		die "'$FUZZ_CC' cannot build libFuzzer harnesses (-fsanitize=fuzzer): on Debian 12 install clang and libclang-rt-14-dev (.ci/deps), or set FUZZ_CC"
	fi
	rm -rf "$t"
}

# link SRCDIR BUILDDIR: every harness against the library built there
do_link() {
	local src=$1 build=$2 name
	[ -f "$build/lib/libxe2e.a" ] || die "no $build/lib/libxe2e.a: make fuzz-build builds it"
	for name in $(harnesses "$src"); do
		echo "  FUZZLD   fuzz_$name"
		# shellcheck disable=SC2086
		"$FUZZ_CC" $FUZZ_CFLAGS -fsanitize=fuzzer ${FUZZ_CPPFLAGS:--D_GNU_SOURCE} \
			-iquote "$src/lib" -iquote "$build/lib" \
			"$src/tests/fuzz/fuzz_$name.c" "$build/lib/libxe2e.a" ${FUZZ_LIBS:-} \
			-o "$OUT/fuzz_$name.tmp" && mv "$OUT/fuzz_$name.tmp" "$OUT/fuzz_$name" ||
			die "building fuzz_$name failed"
	done
}

# run_one NAME SECONDS: one harness; its status
run_one() {
	local name=$1 secs=$2 dict="" new=$OUT/new/$1 art=$OUT/artifacts/$1/ log=$OUT/logs/$1.log
	mkdir -p "$new" "$art" "$OUT/logs"
	[ -f "$SRCDIR/tests/fuzz/$name.dict" ] && dict=-dict=$SRCDIR/tests/fuzz/$name.dict
	# the seeds are read, never written: new inputs go to the first directory
	# shellcheck disable=SC2086
	"$OUT/fuzz_$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$FUZZ_MAX_LEN" -print_final_stats=1 -artifact_prefix="$art" \
		$dict ${FUZZ_ARGS:-} "$new" "$SRCDIR/tests/fuzz/corpus/$name" >"$log" 2>&1
}

summary() {
	local name=$1 st=$2 log=$OUT/logs/$1.log done execs eps
	done=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+//; s/ lim:.*//; s/ exec\/s:.*//')
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ "$st" = 0 ]; then
		echo "fuzz_$name: ok, ${execs:-?} runs, ${eps:-?} exec/s, $done, new inputs in $OUT/new/$name"
	else
		echo "fuzz_$name: FAILED (status $st), input in $OUT/artifacts/$name/, report in $log:"
		grep -E -A 6 'property failed|==[0-9]+==ERROR|runtime error:|SUMMARY:|Timeout|out-of-memory' "$log" | head -24 | sed 's/^/  /'
		ls -1 "$OUT/artifacts/$name/" | sed "s|^|  artifact: $OUT/artifacts/$name/|"
	fi
}

do_run() {
	local secs=$1 name pids="" names="" n=0 rc=0 st p
	shift
	for name in "$@"; do
		[ -x "$OUT/fuzz_$name" ] || die "no $OUT/fuzz_$name: make fuzz-build first"
	done
	echo "fuzzing $* for ${secs}s each, $FUZZ_JOBS at a time"
	set -- "$@"
	while [ $# -gt 0 ] || [ -n "$pids" ]; do
		while [ $# -gt 0 ] && [ "$n" -lt "$FUZZ_JOBS" ]; do
			run_one "$1" "$secs" &
			pids="$pids $!:$1"
			n=$((n + 1))
			shift
		done
		# wait for the oldest
		p=${pids# }
		p=${p%% *}
		pids=${pids#" $p"}
		st=0
		wait "${p%%:*}" || st=$?
		n=$((n - 1))
		summary "${p#*:}" "$st"
		[ "$st" = 0 ] || rc=1
	done
	return $rc
}

do_replay() {
	local name f rc=0 n=0 bad=0
	for name in "$@"; do
		[ -x "$OUT/fuzz_$name" ] || die "no $OUT/fuzz_$name: make fuzz-build first"
		for f in "$SRCDIR/tests/fuzz/regress/$name"/*; do
			[ -f "$f" ] || continue
			n=$((n + 1))
			if "$OUT/fuzz_$name" -runs=1 "$f" >"$OUT/logs/replay.log" 2>&1; then
				echo "replay: ok    fuzz_$name ${f#"$SRCDIR"/}"
			else
				echo "replay: FAIL  fuzz_$name ${f#"$SRCDIR"/}"
				grep -E -A 3 'property failed|==[0-9]+==ERROR|runtime error:|SUMMARY:' "$OUT/logs/replay.log" |
					head -8 | sed 's/^/  /'
				bad=$((bad + 1))
				rc=1
			fi
		done
	done
	echo "replay: $n regression inputs, $bad failed"
	return $rc
}

[ $# -ge 2 ] || die "usage: run-fuzz.sh cc|link|run|replay OUT ..."
cmd=$1
OUT=$2
mkdir -p "$OUT/logs" || die "cannot create $OUT"
if [ "$cmd" = cc ]; then
	command -v "$FUZZ_CC" >/dev/null 2>&1 ||
		die "'$FUZZ_CC' not found: the fuzz harnesses need clang with libFuzzer (Debian 12: apt-get install clang libclang-rt-14-dev, see .ci/deps)"
	check_cc
	exit 0
fi
[ $# -ge 3 ] || die "usage: run-fuzz.sh link|run|replay OUT SRCDIR ..."
SRCDIR=$3
shift 3
case $cmd in
link)
	[ $# = 1 ] || die "usage: run-fuzz.sh link OUT SRCDIR BUILDDIR"
	do_link "$SRCDIR" "$1"
	;;
run)
	[ $# -ge 1 ] || die "usage: run-fuzz.sh run OUT SRCDIR SECONDS [NAME...]"
	secs=$1
	shift
	[ $# -gt 0 ] || set -- $(harnesses "$SRCDIR")
	do_run "$secs" "$@"
	;;
replay)
	[ $# -gt 0 ] || set -- $(harnesses "$SRCDIR")
	mkdir -p "$OUT/logs"
	do_replay "$@"
	;;
*)
	die "unknown command '$cmd'"
	;;
esac
