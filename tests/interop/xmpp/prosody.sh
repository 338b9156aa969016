# shellcheck shell=bash
# tests/interop/xmpp/prosody.sh -- a throw-away Prosody 0.12 XMPP server on
# loopback for the interop tests (t5200).  Source it (bash), do not run it:
#
#     . "$here/xmpp/prosody.sh" || exit 99
#     prosody_have || ...         (missing: .ci/deps installs prosody)
#     prosody_start "$SCRATCH/xmpp" || hard_error "prosody did not start"
#     prosody_user "$SCRATCH/xmpp" juliet example.com secret || hard_error ...
#     prosody_user "$SCRATCH/xmpp" romeo example.net secret || hard_error ...
#     python3 "$XMPP_PY" recv --port "$PROSODY_PORT" ... &
#     ...
#     prosody_stop "$SCRATCH/xmpp"
#
# prosody_start DIR  writes DIR/prosody.cfg.lua (run_as_root, c2s on
#     127.0.0.1 on a free port, no s2s, no TLS, plain auth allowed, accounts in
#     plain text, data, pid file and log in DIR, VirtualHosts example.com and
#     example.net), starts `prosody --config DIR/prosody.cfg.lua -F` in the
#     background and waits (PROSODY_START_TIMEOUT, default 20 s) until its c2s
#     port is listening.  Exports PROSODY_PORT (also in DIR/port).  A port
#     lost to a race is retried with another one.  Extra global config lines:
#     PROSODY_EXTRA_CONFIG (e.g. 'c2s_stanza_size_limit = 1024*1024').
#     Returns 0, or 1 with a message (and the log's tail) on stderr.
# prosody_user DIR USER HOST PASS   registers an account (prosodyctl register);
#     works before the first login as well as while the server runs.
# prosody_stop DIR   SIGTERM, waits up to 10 s (then SIGKILL); idempotent.
# prosody_wait_file FILE [SECONDS [PID]]   waits until FILE exists (default
#     20 s); fails early when process PID is gone.
# prosody_have   true when prosody, prosodyctl and python3 are installed.
# $XMPP_PY       absolute path of xmpp.py beside this file.
#
# Nothing is left behind: prosody_start puts a stop of every server it started
# in front of the shell's EXIT trap (keeping the trap already set, e.g. the
# $SCRATCH removal of tests/lib.sh), and a small watchdog subshell stops the
# server when the shell that started it dies without running its traps (or
# after PROSODY_MAX_LIFETIME, default 1800 s).  Call prosody_start in the
# test's main shell, not in $(...) or ( ... ): the server belongs to that shell.
# Works under set -u and set -e; needs Linux (/proc) and bash >= 4.

PROSODY_HARNESS_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || return 1
# shellcheck disable=SC2034 # used by the tests that source this file
XMPP_PY=$PROSODY_HARNESS_DIR/xmpp.py
_PROSODY_DIRS=

prosody_have() {
	command -v prosody >/dev/null 2>&1 &&
		command -v prosodyctl >/dev/null 2>&1 &&
		command -v python3 >/dev/null 2>&1
}

_prosody_err() {
	echo "prosody.sh: $*" >&2
}

# _prosody_alive PID -- running, and not a zombie
_prosody_alive() {
	local stat
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	case $stat in
	Z* | X* | x* | '') return 1 ;;
	esac
	return 0
}

# _prosody_is_ours PID DIR -- PID is the prosody of DIR (guards against reuse)
_prosody_is_ours() {
	_prosody_alive "$1" || return 1
	tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "$2/prosody.cfg.lua"
}

_prosody_free_port() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
		return
	fi
	local p i
	for i in $(seq 50); do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

_prosody_write_config() {
	local dir=$1 port=$2
	cat >"$dir/prosody.cfg.lua.tmp" <<EOF || return 1
-- Written by prosody.sh for a test server; see there.
run_as_root = true
pidfile = "$dir/prosody.pid"
data_path = "$dir/data"
certificates = "$dir/certs"
installer_plugin_path = "$dir/plugins"
log = { { levels = { min = "debug" }; to = "file"; filename = "$dir/prosody.log" } }

interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
c2s_ports = { $port }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
s2s_ports = { }
s2s_direct_tls_ports = { }
http_ports = { }
https_ports = { }
use_libevent = false

c2s_require_encryption = false
s2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
storage = "internal"
allow_registration = false

modules_enabled = { "roster"; "saslauth"; "ping" }
modules_disabled = { "s2s"; "s2s_auth_certs"; "tls" }

${PROSODY_EXTRA_CONFIG:-}

VirtualHost "example.com"
VirtualHost "example.net"
EOF
	mv -f -- "$dir/prosody.cfg.lua.tmp" "$dir/prosody.cfg.lua"
}

# _prosody_watchdog DIR PID PARENT -- background: stop PID when PARENT dies,
# after PROSODY_MAX_LIFETIME, or at once on a line in DIR/watchdog.fifo
_prosody_watchdog() {
	local dir=$1 pid=$2 parent=$3 max=${PROSODY_MAX_LIFETIME:-1800} start=$SECONDS i
	exec 9<>"$dir/watchdog.fifo" || exit 0
	while _prosody_alive "$parent" && _prosody_alive "$pid" && [ $((SECONDS - start)) -lt "$max" ]; do
		# waits up to 1 s without forking; a line written to the fifo means stop
		if read -r -t 1 -u 9 _; then
			exit 0
		fi
	done
	if _prosody_is_ours "$pid" "$dir"; then
		kill -TERM "$pid" 2>/dev/null
		for i in 1 2 3 4 5 6 7 8 9 10; do
			_prosody_alive "$pid" || exit 0
			read -r -t 0.5 -u 9 _ || true
		done
		_prosody_is_ours "$pid" "$dir" && kill -KILL "$pid" 2>/dev/null
	fi
	exit 0
}

_prosody_cleanup_all() {
	local d
	while IFS= read -r d; do
		[ -n "$d" ] && prosody_stop "$d"
	done <<EOF
$_PROSODY_DIRS
EOF
	return 0
}

_prosody_install_trap() {
	[ "${_PROSODY_TRAP_PID:-}" = "$BASHPID" ] && return 0
	local old
	old=$(trap -p EXIT)
	if [ -n "$old" ]; then
		# old is: trap -- 'COMMAND' EXIT, COMMAND quoted for the shell
		old=${old#trap -- }
		old=${old% EXIT}
		eval "old=$old"
		trap -- "_prosody_cleanup_all; $old" EXIT
	else
		trap -- "_prosody_cleanup_all" EXIT
	fi
	_PROSODY_TRAP_PID=$BASHPID
}

prosody_start() {
	local dir=${1:-} port attempt pid wpid log i state deadline
	[ -n "$dir" ] || { _prosody_err "usage: prosody_start DIR"; return 1; }
	command -v prosody >/dev/null 2>&1 || { _prosody_err "prosody not found"; return 1; }
	mkdir -p -- "$dir" || return 1
	dir=$(cd -- "$dir" && pwd) || return 1
	case $dir in
	*[\"\\\'$'\n']*) _prosody_err "unusable directory name: $dir"; return 1 ;;
	esac
	if [ -f "$dir/server.pid" ] && _prosody_is_ours "$(cat "$dir/server.pid")" "$dir"; then
		_prosody_err "a server is already running in $dir"
		return 1
	fi
	mkdir -p -- "$dir/data" "$dir/certs" || return 1
	rm -f -- "$dir/watchdog.fifo"
	mkfifo -- "$dir/watchdog.fifo" || return 1
	_prosody_install_trap
	log=$dir/prosody.log
	for attempt in 1 2 3 4 5; do
		port=$(_prosody_free_port) || { _prosody_err "no free port"; return 1; }
		_prosody_write_config "$dir" "$port" || return 1
		[ -f "$log" ] && mv -f -- "$log" "$log.attempt$((attempt - 1))"
		# stdin/stdout/stderr away from the caller's: $(...) and pipes must
		# not wait for the server
		prosody --config "$dir/prosody.cfg.lua" -F </dev/null >>"$dir/prosody.out" 2>&1 &
		pid=$!
		echo "$pid" >"$dir/server.pid"
		_PROSODY_DIRS="$_PROSODY_DIRS
$dir"
		(_prosody_watchdog "$dir" "$pid" "$$") </dev/null >/dev/null 2>&1 &
		wpid=$!
		echo "$wpid" >"$dir/watchdog.pid"
		state=starting
		deadline=$((SECONDS + ${PROSODY_START_TIMEOUT:-20}))
		while [ "$SECONDS" -le "$deadline" ]; do
			if [ -f "$log" ]; then
				if grep -qF "Activated service 'c2s' on [127.0.0.1]:$port" "$log"; then
					state=up
					break
				fi
				if grep -qE "Failed to open server port|Activated service 'c2s' on no ports" "$log"; then
					state=busy
					break
				fi
			fi
			_prosody_alive "$pid" || { state=died; break; }
			sleep 0.05
		done
		if [ "$state" = up ]; then
			# double check from outside: the port accepts connections
			for i in $(seq 100); do
				(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
				sleep 0.05
			done
			if [ "$i" -lt 100 ] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
				echo "$port" >"$dir/port"
				PROSODY_PORT=$port
				export PROSODY_PORT
				return 0
			fi
			state="not accepting connections"
		fi
		prosody_stop "$dir"
		[ "$state" = busy ] && continue
		_prosody_err "server in $dir did not start ($state); log tail:"
		tail -n 20 "$log" >&2 2>/dev/null
		tail -n 20 "$dir/prosody.out" >&2 2>/dev/null
		return 1
	done
	_prosody_err "no usable port after 5 attempts"
	return 1
}

prosody_stop() {
	local dir=${1:-} pid wpid i
	[ -n "$dir" ] && [ -d "$dir" ] || return 0
	dir=$(cd -- "$dir" && pwd) || return 0
	wpid=$(cat "$dir/watchdog.pid" 2>/dev/null) || wpid=
	pid=$(cat "$dir/server.pid" 2>/dev/null) || pid=
	if [ -n "$wpid" ] && _prosody_alive "$wpid"; then
		# tell the watchdog to leave (it reads lines from this fifo); opened
		# read-write, which never blocks, even if the watchdog just left
		{ echo stop >&8; } 8<>"$dir/watchdog.fifo" 2>/dev/null
	fi
	if [ -n "$pid" ] && _prosody_is_ours "$pid" "$dir"; then
		kill -TERM "$pid" 2>/dev/null
		for i in $(seq 200); do
			_prosody_alive "$pid" || break
			sleep 0.05
		done
		if _prosody_is_ours "$pid" "$dir"; then
			_prosody_err "server $pid in $dir ignored SIGTERM; killing it"
			kill -KILL "$pid" 2>/dev/null
			sleep 0.1
		fi
	fi
	# reap (only works for our own children; harmless otherwise)
	[ -n "$pid" ] && wait "$pid" 2>/dev/null
	if [ -n "$wpid" ]; then
		for i in $(seq 40); do
			_prosody_alive "$wpid" || break
			sleep 0.05
		done
		_prosody_alive "$wpid" && kill -TERM "$wpid" 2>/dev/null
		wait "$wpid" 2>/dev/null
	fi
	rm -f -- "$dir/server.pid" "$dir/watchdog.pid"
	return 0
}

prosody_user() {
	local dir=${1:-} user=${2:-} host=${3:-} pass=${4:-}
	if [ -z "$dir" ] || [ -z "$user" ] || [ -z "$host" ] || [ $# -lt 4 ]; then
		_prosody_err "usage: prosody_user DIR USER HOST PASS"
		return 1
	fi
	dir=$(cd -- "$dir" && pwd) || return 1
	[ -f "$dir/prosody.cfg.lua" ] || { _prosody_err "no $dir/prosody.cfg.lua (prosody_start first)"; return 1; }
	if ! prosodyctl --config "$dir/prosody.cfg.lua" register "$user" "$host" "$pass" \
		</dev/null >>"$dir/prosodyctl.log" 2>&1; then
		_prosody_err "prosodyctl register $user $host failed:"
		tail -n 5 "$dir/prosodyctl.log" >&2
		return 1
	fi
	return 0
}

prosody_wait_file() {
	local file=$1 secs=${2:-20} pid=${3:-} deadline
	deadline=$((SECONDS + secs))
	while [ ! -e "$file" ]; do
		[ "$SECONDS" -le "$deadline" ] || return 1
		if [ -n "$pid" ] && ! _prosody_alive "$pid"; then
			[ -e "$file" ]
			return
		fi
		sleep 0.05
	done
	return 0
}
