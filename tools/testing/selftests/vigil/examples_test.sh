#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The SDK's examples, as products built on libvigil, run by an unprivileged
# vendor user (1000) against the real vigild: vigil-exec-guard denies
# programs from /tmp and /dev/shm with the cache flag, vigil-log writes JSON
# lines with its filters; and vigilctl shows them as the broker's clients.
. "$(dirname "$0")/tap.sh"

BIN=/vigil/bin
CHILD=$BIN/vigil_child
CTL=$BIN/vigilctl
T=/tmp/examples_test
SOCK=$T.sock
VENDOR="$CHILD as-user 1000"

# wait_for FILE TEXT: until FILE holds TEXT, 5 s at most.
wait_for() {
	for _ in $(seq 250); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	fail "$1 lacks '$2': $(cat "$1" 2>&1)"
}

# Everything a test started in the background, so that a test that
# failed midway does not leave a broker behind for the next.
remember() { echo "$1" >>$T.pids; }

cleanup() {
	[ -f $T.pids ] || return 0
	for p in $(cat $T.pids); do
		kill "$p" 2>/dev/null
	done
	sleep 0.2
	rm -f $T.pids
}

# start_vigild [ARGS]: vigild serving $SOCK; what it writes goes to $T.out.
start_vigild() {
	cleanup
	printf 'client_deadline_ms = 200\nallowlist = %s.allow\n' $T >$T.conf
	echo "user 1000" >$T.allow
	rm -f $T.err
	$CHILD as-broker $BIN/vigild --socket $SOCK --config $T.conf "$@" >$T.out 2>$T.err &
	vigild_pid=$!
	remember $vigild_pid
	wait_for $T.err "serving clients"
}

stop_all() {
	for p in $guard_pid $log_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	kill "$vigild_pid"
	wait "$vigild_pid"
	rm -f $T.pids
}

start_guard() {
	$VENDOR $BIN/vigil-exec-guard --socket $SOCK "$@" 2>$T.guard &
	guard_pid=$!
	remember $guard_pid
	wait_for $T.guard "guarding"
}

# ran PATH: run PATH mark $T.ran; 0 if it ran, 126 if its exec was denied.
ran() {
	rm -f $T.ran
	rc=0
	"$1" mark $T.ran 2>/dev/null || rc=$?
	[ "$rc" -eq 0 ] && [ ! -e $T.ran ] && fail "$1 exited 0 but did not run"
	return $rc
}

auth_exec_cache_hits() {
	$CTL --socket $SOCK --json status |
		sed -n 's/.*"auth_exec":{[^}]*"cache_hits":\([0-9]*\).*/\1/p'
}

test_exec_guard_denies_tmp_and_dev_shm() {
	mkdir -p /dev/shm /opt/ok
	grep -q " /dev/shm " /proc/mounts || mount -t tmpfs shm /dev/shm
	cp $CHILD /tmp/ex_prog
	cp $CHILD /dev/shm/ex_prog
	cp $CHILD /opt/ok/ex_prog
	printf '#!/bin/sh\ntouch %s.ran\n' $T >/tmp/ex_script.sh
	chmod 755 /tmp/ex_script.sh
	start_vigild
	start_guard
	rc=0; ran /tmp/ex_prog || rc=$?
	[ "$rc" -eq 126 ] || fail "/tmp/ex_prog: status $rc, expected 126 (denied)"
	rc=0; ran /dev/shm/ex_prog || rc=$?
	[ "$rc" -eq 126 ] || fail "/dev/shm/ex_prog: status $rc, expected 126"
	ran /opt/ok/ex_prog || fail "/opt/ok/ex_prog was denied"
	rm -f $T.ran
	/tmp/ex_script.sh 2>/dev/null && fail "a script in /tmp ran"
	[ -e $T.ran ] && fail "the script's body ran"
	wait_for $T.guard "denied exec of /tmp/ex_prog by pid [0-9]* (uid 0)"
	wait_for $T.guard "denied exec of /tmp/ex_script.sh"
	# The verdicts are cached: the same files again are decided by the kernel.
	hits=$(auth_exec_cache_hits)
	rc=0; ran /tmp/ex_prog || rc=$?
	[ "$rc" -eq 126 ] || fail "/tmp/ex_prog the second time: status $rc"
	ran /opt/ok/ex_prog || fail "/opt/ok/ex_prog denied the second time"
	after=$(auth_exec_cache_hits)
	[ -n "$hits" ] && [ "$after" -ge $((hits + 2)) ] ||
		fail "cache hits $hits, then $after: not cached"
	stop_all
	grep -q "[0-9]* allowed, [1-9][0-9]* denied, 0 not answered" $T.guard ||
		fail "no summary: $(cat $T.guard)"
}

test_exec_guard_takes_its_own_directories() {
	start_vigild
	start_guard --deny /opt/ok --quiet
	rc=0; ran /opt/ok/ex_prog || rc=$?
	[ "$rc" -eq 126 ] || fail "/opt/ok/ex_prog: status $rc, expected 126"
	ran /tmp/ex_prog || fail "/tmp/ex_prog denied, but only /opt/ok is"
	grep -q "denied exec" $T.guard && fail "--quiet, but: $(cat $T.guard)"
	stop_all
	rc=0
	$BIN/vigil-exec-guard --deny relative 2>$T.guard || rc=$?
	[ "$rc" -eq 2 ] || fail "--deny relative: status $rc"
	grep -q "not an absolute path" $T.guard || fail "unclear: $(cat $T.guard)"
}

test_log_writes_filtered_json_lines() {
	start_vigild
	$VENDOR $BIN/vigil-log --socket $SOCK --events exec,exit --uid 1000 \
		--exe-prefix /vigil/bin >$T.log 2>$T.logerr &
	log_pid=$!
	remember $log_pid
	wait_for $T.logerr "logging"
	$VENDOR $CHILD args one 'two "quoted"'	# logged: uid 1000, under /vigil/bin
	$CHILD args root			# uid 0: filtered out
	$VENDOR /bin/true			# not under /vigil/bin
	wait_for $T.log '"event":"exec"'
	# The exit of the process seen exec'ing, though exits carry no exe.
	wait_for $T.log '"event":"exit".*"process_exited":true'
	stop_all
	[ "$(grep -c '"event":"exit"' $T.log)" -eq 1 ] || fail "exits: $(cat $T.log)"
	grep '"event":"exec"' $T.log | grep -q '"uid":1000' || fail "no exec line: $(cat $T.log)"
	grep -q '"argv":\["/vigil/bin/vigil_child","args","one","two \\"quoted\\""\]' $T.log ||
		fail "argv not as given: $(cat $T.log)"
	grep -q '"root"' $T.log && fail "a uid 0 exec passed --uid 1000"
	grep -q '"exe":"/bin/busybox"' $T.log && fail "/bin/true passed --exe-prefix"
	grep -q '"event":"fork"' $T.log && fail "fork lines, not subscribed"
	grep -vq '^{.*}$' $T.log && fail "a line is not an object: $(cat $T.log)"
	return 0
}

# A catalogue event through the broker: vigild subscribes the shim to it
# for its client, which logs its path and its actor's container.
test_log_catalogue_events() {
	start_vigild
	$VENDOR $BIN/vigil-log --socket $SOCK --events file_create,file_unlink \
		--uid 1000 >$T.log 2>$T.logerr &
	log_pid=$!
	remember $log_pid
	wait_for $T.logerr "logging"
	rm -f $T.new
	$VENDOR /bin/touch $T.new
	$VENDOR /bin/rm $T.new
	wait_for $T.log '"event":"file_unlink"'
	stop_all
	grep -q "\"event\":\"file_create\".*\"uid\":1000.*\"exe\":\"/bin/busybox\",\"path\":\"$T.new\",\"cgroup_id\":[1-9]" \
		$T.log || fail "no file_create line: $(cat $T.log)"
	[ "$(grep -c '"event":"file_create"' $T.log)" -eq 1 ] || fail "creates: $(cat $T.log)"
	grep -q '"event":"file_open"' $T.log && fail "file_open lines, not subscribed"
	return 0
}

# vigild --events none, as vigild.service runs it: it writes nothing
# itself, and subscribes the shim to what its clients ask for.
test_events_none_serves_only_clients() {
	start_vigild --events none
	$VENDOR $BIN/vigil-log --socket $SOCK --events exec --uid 1000 >$T.log 2>$T.logerr &
	log_pid=$!
	remember $log_pid
	wait_for $T.logerr "logging"
	$VENDOR $CHILD exit 0
	wait_for $T.log '"event":"exec"'
	stop_all
	[ -s $T.out ] && fail "vigild --events none wrote: $(head -n 3 $T.out)"
	grep -q '"exe":"/vigil/bin/vigil_child"' $T.log || fail "no exec line: $(cat $T.log)"
	rc=0
	$CHILD as-broker $BIN/vigild --events none,exec >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "--events none,exec: status $rc, expected 2"
	grep -q "'none' stands alone" $T.err || fail "unclear: $(cat $T.err)"
}

test_log_mutes_in_the_broker() {
	start_vigild
	$VENDOR $BIN/vigil-log --socket $SOCK --events exec --mute-path /opt \
		>$T.log 2>$T.logerr &
	log_pid=$!
	remember $log_pid
	wait_for $T.logerr "logging"
	/opt/ok/ex_prog exit 0
	$CHILD exit 0
	wait_for $T.log "\"exe\":\"$CHILD\""
	grep -q '"exe":"/opt/ok/ex_prog"' $T.log && fail "a muted path was delivered: $(cat $T.log)"
	# vigilctl sees it as a client of the broker, with its mute.
	out=$($CTL --socket $SOCK clients) || fail "vigilctl clients failed: $out"
	echo "$out" | grep -q "vigil-log .* 1000  exec" || fail "clients: $out"
	echo "$out" | grep -q "1 mutes" || fail "clients: $out"
	out=$($CTL --socket $SOCK --json clients) || fail "--json clients failed"
	echo "$out" | grep -q '"name":"vigil-log","ready":true,' || fail "json: $out"
	out=$($CTL --socket $SOCK status 2>&1)
	echo "$out" | grep -q "^broker: up [0-9]* s; 1 client (at most 16)" || fail "status: $out"
	echo "$out" | grep -q "rates: [0-9.]* events/s" || fail "no rates: $out"
	# Only root may ask.
	out=$($VENDOR $CTL --socket $SOCK clients 2>&1) && fail "uid 1000 listed the clients"
	echo "$out" | grep -q "only root may ask" || fail "unclear: $out"
	stop_all
}

test_log_bad_command_lines() {
	rc=0
	$BIN/vigil-log --events bogus >/dev/null 2>$T.logerr || rc=$?
	[ "$rc" -eq 2 ] || fail "--events bogus: status $rc"
	grep -q "unknown event 'bogus'" $T.logerr || fail "unclear: $(cat $T.logerr)"
	rc=0
	$BIN/vigil-log --uid x >/dev/null 2>$T.logerr || rc=$?
	[ "$rc" -eq 2 ] || fail "--uid x: status $rc"
	rc=0
	$BIN/vigil-log --socket /tmp/nobody.sock >/dev/null 2>$T.logerr || rc=$?
	[ "$rc" -eq 1 ] || fail "no broker: status $rc"
	grep -q "cannot connect to the broker: No such file or directory" $T.logerr ||
		fail "unclear: $(cat $T.logerr)"
}

test_vigilctl_without_a_broker() {
	out=$($CTL --socket /tmp/nobody.sock status 2>&1) || fail "status failed: $out"
	echo "$out" | grep -q "^broker: not running (no socket there) (/tmp/nobody.sock)" ||
		fail "status: $out"
	out=$($CTL --socket /tmp/nobody.sock --json status)
	echo "$out" | grep -q '"broker":null,"broker_error":"not running (no socket there)"' ||
		fail "json: $out"
	rc=0
	out=$($CTL --socket /tmp/nobody.sock clients 2>&1) || rc=$?
	[ "$rc" -eq 1 ] || fail "clients: status $rc"
	echo "$out" | grep -q "cannot ask the broker at /tmp/nobody.sock: not running" ||
		fail "unclear: $out"
}

tap_plan 8
settle_device
trap cleanup EXIT
run_test test_exec_guard_denies_tmp_and_dev_shm
run_test test_exec_guard_takes_its_own_directories
run_test test_log_writes_filtered_json_lines
run_test test_log_catalogue_events
run_test test_events_none_serves_only_clients
run_test test_log_mutes_in_the_broker
run_test test_log_bad_command_lines
run_test test_vigilctl_without_a_broker
tap_done
