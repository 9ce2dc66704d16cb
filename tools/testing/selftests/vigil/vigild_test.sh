#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vigild, the broker, end to end: its JSON lines for a real command, a clean
# stop on SIGTERM and SIGINT, its messages and exit codes for an ABI
# mismatch, a busy device and a bad command line, drop reports, and its
# privileges: the vigil user, no capabilities, no_new_privs, seccomp.
. "$(dirname "$0")/tap.sh"

CHILD=/vigil/bin/vigil_child
# vigild runs as the vigil user, whom /dev/vigil's group lets in.
VIGILD="$CHILD as-broker /vigil/bin/vigild"
VIGILD_ABI2="$CHILD as-broker /vigil/bin/vigild-abi2"
T=/tmp/vigild_test

# wait_connected: until vigild says it is connected in $T.err.
wait_connected() {
	for _ in $(seq 500); do
		grep -q connected $T.err 2>/dev/null && return 0
		sleep 0.02
	done
	fail "vigild did not connect: $(cat $T.err)"
}

# start_vigild [ARGS]: run vigild in the background, wait until connected.
start_vigild() {
	rm -f $T.out $T.err
	$VIGILD "$@" >$T.out 2>$T.err &
	vigild_pid=$!
	wait_connected
}

# status_of PID FIELD...: the values of those fields in /proc/PID/status.
status_of() {
	pid=$1
	shift
	for f in "$@"; do
		awk -v f="$f:" '$1 == f { $1 = ""; print substr($0, 2) }' /proc/$pid/status
	done
}

# stop_vigild SIGNAL: stop it, expect exit status 0.
stop_vigild() {
	kill -"$1" "$vigild_pid"
	wait "$vigild_pid" || fail "vigild exited with status $? on SIG$1"
}

test_json_lines_for_a_command() {
	start_vigild
	$CHILD exit 5
	stop_vigild TERM
	grep '"event":"exec"' $T.out | grep -q "\"exe\":\"$CHILD\"" ||
		fail "no exec line for $CHILD"
	grep -q "\"argv\":\[\"$CHILD\",\"exit\",\"5\"\]" $T.out ||
		fail "argv not as given"
	grep '"event":"exit"' $T.out | grep -q '"status":5' ||
		fail "no exit line with status 5"
	grep -q '"event":"fork"' $T.out || fail "no fork line"
	# Every line is one object.
	grep -vq '^{.*}$' $T.out && fail "a line is not an object"
	return 0
}

test_stops_cleanly_on_sigint() {
	start_vigild
	stop_vigild INT
	grep -q 'stopped: .* events delivered, 0 dropped' $T.err ||
		fail "no summary: $(cat $T.err)"
	# The device is free again.
	start_vigild
	stop_vigild TERM
}

test_text_format() {
	start_vigild --format text
	$CHILD exit 0
	stop_vigild TERM
	grep -q "^exec .*$CHILD : $CHILD exit 0" $T.out || fail "no text exec line: $(cat $T.out)"
}

test_abi_mismatch_is_refused_clearly() {
	rc=0
	$VIGILD_ABI2 >$T.out 2>$T.err || rc=$?
	[ "$rc" -eq 3 ] || fail "exit status $rc, expected 3"
	grep -q 'the shim speaks ABI 1\.[0-9]*, this broker speaks ABI 2\.[0-9]*' $T.err ||
		fail "unclear message: $(cat $T.err)"
	dmesg | grep -q 'broker built for ABI 2\.[0-9]* refused: this shim speaks ABI 1\.' ||
		fail "no kernel log line"
}

test_busy_device_is_explained() {
	start_vigild
	rc=0
	$VIGILD >/dev/null 2>$T.err2 || rc=$?
	stop_vigild TERM
	[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
	grep -q 'busy: another broker is connected' $T.err2 ||
		fail "unclear message: $(cat $T.err2)"
}

test_bad_command_line_is_exit_2() {
	rc=0
	$VIGILD --bogus >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "--bogus: exit status $rc"
	grep -q usage $T.err || fail "no usage"
	rc=0
	$VIGILD --format yaml >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "--format yaml: exit status $rc"
	grep -q "unknown format 'yaml'" $T.err || fail "unclear message"
	rc=0
	$VIGILD extra >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "extra argument: exit status $rc"
	rc=0
	$VIGILD --device /nonexistent >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 1 ] || fail "missing device: exit status $rc"
	grep -q 'cannot open /nonexistent' $T.err || fail "unclear message"
}

test_drops_are_reported() {
	old=$(cat /sys/module/vigil/parameters/ring_size)
	echo 64K >/sys/module/vigil/parameters/ring_size
	start_vigild
	kill -STOP "$vigild_pid"
	for _ in $(seq 600); do $CHILD exit 0; done
	kill -CONT "$vigild_pid"
	stop_vigild TERM
	echo "$old" >/sys/module/vigil/parameters/ring_size
	line=$(grep '"event":"drops"' $T.out | tail -n 1)
	[ -n "$line" ] || fail "no drops line"
	# One source (root) may hold half the ring: its excess is its own loss.
	shed=$(echo "$line" | sed 's/.*"source_budget":\([0-9]*\).*/\1/')
	[ "$shed" -gt 0 ] || fail "source_budget is $shed"
	grep -q "stopped: .* dropped (.* source_budget=$shed)" $T.err ||
		fail "summary does not match: $(cat $T.err)"
	# And the shim said whose they were.
	grep -q '"event":"source","uid":0,' $T.out || fail "no report of root's losses"
	# Every event is delivered or counted as dropped, exactly.
	summary=$(grep stopped: $T.err)
	delivered=$(echo "$summary" | sed 's/.*stopped: \([0-9]*\) events.*/\1/')
	dropped=$(echo "$summary" | sed 's/.*delivered, \([0-9]*\) dropped.*/\1/')
	produced=$(echo "$summary" | sed 's/.* of \([0-9]*\) produced.*/\1/')
	[ "$((delivered + dropped))" -eq "$produced" ] ||
		fail "delivered $delivered + dropped $dropped != produced $produced"
	# And each is a line, but the reports of sources that lost nothing.
	quiet=$(echo "$summary" | sed 's/.*; \([0-9]*\) source reports of no loss.*/\1/')
	[ "$(grep -c '"seq"' $T.out)" -eq "$((delivered - quiet))" ] ||
		fail "$delivered delivered ($quiet quiet source reports) but $(grep -c '"seq"' $T.out) lines"
}

# rate_limit in the configuration: the shim lets so many through a second,
# and counts the rest as skipped and as dropped for the rate limit.
test_rate_limits_skip_and_count() {
	echo "rate_limit = exec:3" >$T.conf
	start_vigild --config $T.conf
	t0=$(cut -d. -f1 /proc/uptime)
	for _ in $(seq 30); do $CHILD exit 0; done
	secs=$(($(cut -d. -f1 /proc/uptime) - t0 + 1))
	stop_vigild TERM
	lines=$(grep -c '"event":"exec"' $T.out)
	# 3 a second, in each second the 30 execs touched (the debug kernel
	# takes 3 s for them; others well under 1 s).
	[ "$lines" -ge 1 ] && [ "$lines" -le $((3 * (secs + 1))) ] ||
		fail "$lines exec lines in $secs s: $(cat $T.out)"
	skipped=$(sed -n 's/.*rate limit exec: 3\/s, \([0-9]*\) skipped.*/\1/p' $T.err)
	[ -n "$skipped" ] || fail "no rate limit line: $(cat $T.err)"
	[ "$((lines + skipped))" -ge 30 ] || fail "$lines lines + $skipped skipped < 30"
	grep -q "stopped: .* rate_limit=$skipped source_budget=0)" $T.err || fail "summary: $(cat $T.err)"
	grep '"event":"drops"' $T.out | tail -n 1 | grep -q "\"rate_limit\":$skipped,\"source_budget\":0}" ||
		fail "no drops line with the skipped: $(grep drops $T.out)"
	# A type that cannot be limited is refused, and said.
	echo "rate_limit = auth_exec:3" >$T.conf
	rc=0
	$VIGILD --config $T.conf >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "rate_limit auth_exec: exit status $rc, expected 2"
	grep -q 'rate_limit: "auth_exec:3" is not a list of TYPE:N' $T.err ||
		fail "unclear message: $(cat $T.err)"
}

test_auth_denies_exec_under_prefix() {
	rm -rf /tmp/vd /tmp/vd_ran && mkdir -p /tmp/vd
	cp $CHILD /tmp/vd/prog
	start_vigild --auth --deny-exec /tmp/vd --format json
	rc=0
	/tmp/vd/prog mark /tmp/vd_ran 2>/dev/null || rc=$?
	[ "$rc" -eq 126 ] || fail "denied exec: status $rc, expected 126"
	[ ! -e /tmp/vd_ran ] || fail "the denied program ran"
	$CHILD mark /tmp/vd_ran || fail "an allowed program did not run"
	stop_vigild TERM
	grep '"event":"auth_exec"' $T.out | grep '"exe":"/tmp/vd/prog"' |
		grep -q '"verdict":"deny"' || fail "no auth_exec deny line"
	grep '"event":"auth_exec"' $T.out | grep "\"exe\":\"$CHILD\"" |
		grep -q '"verdict":"allow"' || fail "no auth_exec allow line"
	grep '"event":"auth_stats","type":"auth_exec"' $T.out |
		grep -q '"denied":1,' || fail "stats do not count the deny"
	grep -q '[1-9][0-9]* verdicts applied, 0 too late' $T.err ||
		fail "no verdict summary: $(cat $T.err)"
}

test_auth_denies_open_under_prefix() {
	rm -rf /tmp/vd && mkdir -p /tmp/vd/secret
	echo key >/tmp/vd/secret/key
	echo open >/tmp/vd/other
	start_vigild --auth --deny-open /tmp/vd/secret --format text
	out=$(cat /tmp/vd/secret/key 2>&1) && fail "denied open succeeded"
	echo "$out" | grep -q 'Permission denied' || fail "not EACCES: $out"
	[ "$(cat /tmp/vd/other)" = open ] || fail "allowed open failed"
	stop_vigild TERM
	grep -q '^AUTH  open .* r-- /tmp/vd/secret/key -> deny' $T.out ||
		fail "no text deny line: $(grep AUTH $T.out)"
}

test_auth_stats_on_sigusr1() {
	start_vigild --auth
	kill -USR1 "$vigild_pid"
	for _ in $(seq 100); do
		grep -q '"event":"auth_stats","type":"auth_open"' $T.out && break
		sleep 0.05
	done
	grep -q '"event":"auth_stats","type":"auth_exec"' $T.out ||
		fail "no stats after SIGUSR1"
	stop_vigild TERM
}

test_auth_bad_command_line() {
	rc=0
	$VIGILD --deny-exec /tmp >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "--deny-exec without --auth: status $rc"
	grep -q 'need --auth' $T.err || fail "unclear message: $(cat $T.err)"
	rc=0
	$VIGILD --auth --deny-exec tmp >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "relative prefix: status $rc"
	grep -q "'tmp': not an absolute path" $T.err || fail "unclear message"
	rc=0
	$VIGILD --auth --watch /nonexistent >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 1 ] || fail "missing watch path: status $rc"
	grep -q 'cannot watch the filesystem of /nonexistent: No such file' $T.err ||
		fail "unclear message: $(cat $T.err)"
}

test_device_belongs_to_the_vigil_group() {
	[ "$(stat -c '%a %u %g' /dev/vigil)" = "660 0 990" ] ||
		fail "/dev/vigil is $(stat -c '%a %u %g' /dev/vigil), want 660 0 990"
}

test_runs_unprivileged_and_sandboxed() {
	start_vigild --auth
	got=$(status_of "$vigild_pid" Uid Gid Groups CapInh CapPrm CapEff CapAmb NoNewPrivs Seccomp)
	want="990 990 990 990
990 990 990 990
990
0000000000000000
0000000000000000
0000000000000000
0000000000000000
1
2"
	[ "$got" = "$want" ] || fail "status: $got"
	# And it works so: an exec is answered.
	$CHILD exit 0 || fail "an exec was not allowed"
	stop_vigild TERM
	grep -q '[1-9][0-9]* verdicts applied, 0 too late' $T.err ||
		fail "no verdicts: $(cat $T.err)"
}

test_root_is_refused_unless_allowed() {
	rc=0
	/vigil/bin/vigild >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 4 ] || fail "as root: exit status $rc, expected 4"
	grep -q 'refusing to run as root: run vigild as the vigil user' $T.err ||
		fail "unclear message: $(cat $T.err)"
	rm -f $T.err
	/vigil/bin/vigild --allow-root >$T.out 2>$T.err &
	vigild_pid=$!
	wait_connected
	grep -q 'warning: running as root (--allow-root)' $T.err ||
		fail "no warning: $(cat $T.err)"
	got=$(status_of "$vigild_pid" CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp)
	want="0000000000000000
0000000000000000
0000000000000000
0000000000000000
1
2"
	[ "$got" = "$want" ] || fail "status as root: $got"
	stop_vigild TERM
}

test_bad_configuration_is_refused() {
	echo "client_deadline_ms = 5" >$T.conf
	rc=0
	$VIGILD --socket $T.sock --config $T.conf >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "bad value: exit status $rc, expected 2"
	grep -q "$T.conf: line 1: client_deadline_ms: \"5\" is not 10 to 29000" $T.err ||
		fail "unclear message: $(cat $T.err)"
	rc=0
	$VIGILD --socket $T.sock --config /nonexistent.conf >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 1 ] || fail "missing file: exit status $rc, expected 1"
	grep -q "cannot read /nonexistent.conf: No such file" $T.err ||
		fail "unclear message: $(cat $T.err)"
	printf 'allowlist = %s\n' $T.allow >$T.conf
	echo "uid 5" >$T.allow
	rc=0
	$VIGILD --socket $T.sock --config $T.conf >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 2 ] || fail "bad allowlist: exit status $rc, expected 2"
	grep -q "$T.allow: line 1: \"uid\" is not user or group" $T.err ||
		fail "unclear message: $(cat $T.err)"
	# A socket that cannot be made: said, and exit status 1.
	printf 'allowlist = %s\n' $T.allow >$T.conf
	echo "user vigil" >$T.allow
	rc=0
	$VIGILD --socket /nonexistent/dir/vigild.sock --config $T.conf >/dev/null 2>$T.err || rc=$?
	[ "$rc" -eq 1 ] || fail "bad socket path: exit status $rc, expected 1"
	grep -q "cannot listen on /nonexistent/dir/vigild.sock: No such file" $T.err ||
		fail "unclear message: $(cat $T.err)"
	# Nothing was left behind: the device is free.
	start_vigild
	stop_vigild TERM
}

tap_plan 16
run_test test_json_lines_for_a_command
run_test test_stops_cleanly_on_sigint
run_test test_text_format
run_test test_abi_mismatch_is_refused_clearly
run_test test_busy_device_is_explained
run_test test_bad_command_line_is_exit_2
run_test test_drops_are_reported
run_test test_rate_limits_skip_and_count
run_test test_auth_denies_exec_under_prefix
run_test test_auth_denies_open_under_prefix
run_test test_auth_stats_on_sigusr1
run_test test_auth_bad_command_line
run_test test_device_belongs_to_the_vigil_group
run_test test_runs_unprivileged_and_sandboxed
run_test test_root_is_refused_unless_allowed
run_test test_bad_configuration_is_refused
tap_done
