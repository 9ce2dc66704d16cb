#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The attack suite, in the VM (vigil_mode=attack): what an unprivileged
# user, and root against the broker, can do to the sensor.  The shim runs
# with its shipped defaults, watchdog included; vigild subscribes to every
# NOTIFY type and denies execs from /tmp, as the vigil user at nice -10 in
# a cgroup of CPU weight 1000 against the users' 100 (as vigild.service
# runs it).  Throughout each attack a victim of another uid
# runs a program from /tmp every 200 ms.  See Documentation/watchdog.rst.
#
# Writes TAP, and one "# attack|..." line per attack for the host's table
# (scripts/attack.sh).  attack_rows=flood,sigstop on the kernel command
# line runs only those.

ATTACK=/vigil/bin/vigil_attack
CHILD=/vigil/bin/vigil_child
VIGILD=/vigil/bin/vigild
WD=/sys/kernel/vigil/watchdog
ATTACKER=1000
VICTIM=2000
ERR=/tmp/attack_vigild.err
n=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $row: $2"
	else
		echo "not ok $n - $row: $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'
	fi
}

# The attacker's and the victim's programs: as their uid, not holding
# anything of the broker's.
as() { uid=$1; shift; $CHILD as-user "$uid" "$@"; }

start_vigild() {
	rm -f $ERR
	$CHILD as-broker $VIGILD --auth --deny-exec /tmp -e all >/dev/null 2>$ERR &
	vigild=$!
	# Its priority, as vigild.service gives it (Nice=-10, CPUWeight=1000).
	renice -n -10 -p $vigild >/dev/null
	echo $vigild >/sys/fs/cgroup/vigild/cgroup.procs
	i=0
	while ! grep -q connected $ERR 2>/dev/null && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	grep -q connected $ERR 2>/dev/null || sed 's/^/# vigild: /' $ERR
}

stop_vigild() {
	kill -TERM $vigild 2>/dev/null
	wait $vigild 2>/dev/null
}

# Seconds the watchdog spends degraded, sampled once a second.
start_sampler() {
	: >/tmp/attack_samples
	(while :; do
		[ "$(cat $WD/state)" = degraded ] && echo d >>/tmp/attack_samples
		sleep 1
	done) &
	sampler=$!
}

stop_sampler() {
	kill $sampler 2>/dev/null
	wait $sampler 2>/dev/null
}

field() { echo "$1" | sed -n "s/.* $2 \([0-9]*\).*/\1/p"; }

# The line vigild's summary has for @uid's source, or "".
source_line() { grep "vigild: source uid=$1:" $ERR | tail -n 1; }
shed_of() { echo "$1" | sed -n 's/.*delivered, \([0-9]*\) dropped.*/\1/p'; }

# Every source's report adds up: produced == delivered + dropped.
sources_exact() {
	bad=$(grep 'vigild: source ' $ERR | awk '{
		for (i = 1; i <= NF; i++) {
			if ($(i + 1) == "produced,") p = $i
			if ($(i + 1) == "delivered,") d = $i
			if ($(i + 1) == "dropped") x = $i
		}
		if (p != d + x) print
	}')
	[ -z "$bad" ]
}

# The whole session adds up: delivered + dropped == produced.
session_exact() {
	s=$(grep 'vigild: stopped:' $ERR)
	del=$(echo "$s" | sed -n 's/.*stopped: \([0-9]*\) events.*/\1/p')
	drp=$(echo "$s" | sed -n 's/.*delivered, \([0-9]*\) dropped.*/\1/p')
	pro=$(echo "$s" | sed -n 's/.* of \([0-9]*\) produced.*/\1/p')
	[ -n "$pro" ] && [ $((del + drp)) -eq "$pro" ]
}

# Nothing the kernel should never say, since the attack began.
log_clean() {
	dmesg | sed -n "/vigil-attack: $row begins/,\$p" |
		grep -E 'WARNING:|BUG:|Oops|Call Trace|blocked for more than|KASAN|lockdep|watchdog tripped' |
		head -n 5
}

# Full sensing again within 10 s, with no one's help: armed, hooks on,
# and the victim's exec from /tmp asked and denied.
recovered_in() {
	t=0
	while [ $t -lt 100 ]; do
		if [ "$(cat $WD/state)" = armed ] && [ "$(cat $WD/hooks)" = attached ]; then
			as $VICTIM /tmp/victim exit 0
			[ $? = 126 ] && { echo $((t / 10)); return 0; }
		fi
		usleep 100000
		t=$((t + 1))
	done
	echo never
	return 1
}

# begin ROW SECONDS: vigild, the victim for SECONDS, the sampler.
begin() {
	row=$1
	echo "vigil-attack: $row begins" >/dev/kmsg
	trips0=$(cat $WD/trips)
	start_vigild
	as $VICTIM $ATTACK victim "$2" 200 /tmp/victim >/tmp/attack_victim &
	victim=$!
	start_sampler
}

# finish user|stop|kill: the checks every attack has, those of its kind
# (a user's load, root stopping the broker, root killing it), and its row.
finish() {
	wait $victim
	stop_sampler
	back=$(recovered_in)
	ok $? "full sensing within 10 s with no admin action (after ${back} s)"
	# A heartbeat, so that the shim's reports of every source are final.
	sleep 6
	stop_vigild
	v=$(cat /tmp/attack_victim)
	runs=$(field "$v" runs)
	denied=$(field "$v" denied)
	allowed=$(field "$v" allowed)
	other=$(field "$v" other)
	trips=$(($(cat $WD/trips) - trips0))
	degraded=$(wc -l </tmp/attack_samples)
	mine=$(source_line $ATTACKER)
	victims=$(source_line $VICTIM)
	missed=$(echo "$victims" | sed -n "s/.*, \([0-9]*\) AUTH decisions.*/\1/p")
	shed_mine=$(shed_of "$mine")
	shed_others=$(grep 'vigild: source ' $ERR | grep -v "uid=$ATTACKER:" |
		      sed -n 's/.*delivered, \([0-9]*\) dropped.*/\1/p' |
		      awk '{ s += $1 } END { print s + 0 }')
	produced_others=$(grep 'vigild: source ' $ERR | grep -v "uid=$ATTACKER:" |
			  sed -n 's/.*: \([0-9]*\) produced.*/\1/p' |
			  awk '{ s += $1 } END { print s + 0 }')
	ok $((trips != 0)) "no trip ($trips)"
	[ -n "$victims" ]
	ok $? "the shim reported the victim's source to vigild" "$(cat $ERR)"
	ok $((runs == 0 || other != 0)) "the victim ran ($v)" "$(cat $ERR)"
	case $1 in
	user)
		ok $((allowed != 0 || denied != runs)) \
			"the victim's exec from /tmp was denied every time ($denied of $runs)"
		ok $((shed_others * 100 > produced_others)) \
			"other sources lost at most 1% ($shed_others of $produced_others)"
		;;
	stop)
		ok $((allowed != ${missed:-0})) \
			"every decision the broker did not make has its record ($allowed allowed, ${missed:-0} reported)"
		;;
	kill)
		max=$(field "$v" max_ms)
		ok $((max >= 1000)) "waiters released at once (the longest exec: $max ms)"
		;;
	esac
	bad=$(log_clean)
	ok $((${#bad} != 0)) "no kernel warning, hung task or trip" "$bad"
	session_exact
	ok $? "delivered + dropped == produced" "$(grep 'stopped:' $ERR)"
	sources_exact
	ok $? "delivered + dropped == produced, per source" "$(grep 'source ' $ERR)"
	grep 'vigild: source ' $ERR | sed 's/^/# /'
	echo "# attack|$row|$trips|$degraded|$denied|$allowed|${missed:-0}|$(field "$v" p50_ms)|$(field "$v" p99_ms)|${shed_mine:-0}|$shed_others"
}

attack_flood() {
	begin "open and exec floods, 60 s" 60
	for i in 1 2 3 4; do
		load open-loop 60 /etc/passwd
	done
	for i in 1 2; do
		load exec-loop 60 $CHILD
	done
	wait_loads
	finish user
}

attack_burst() {
	begin "400 execs at once, 5 times" 25
	for i in 1 2 3 4 5; do
		as $ATTACKER $ATTACK burst 400 $CHILD >>/tmp/attack_burst
		sleep 1
	done
	finish user
}

attack_forkbomb() {
	begin "a fork bomb capped at 500, 20 s" 20
	as $ATTACKER $ATTACK forkbomb 500 20
	finish user
}

attack_hogs() {
	begin "24 CPU hogs and an exec loop, 30 s" 30
	for i in $(seq 24); do
		load hog 30
	done
	load exec-loop 30 $CHILD
	wait_loads
	finish user
	ok $((${missed:-0} != 0)) "no victim deadline missed (${missed:-0})"
}

attack_bigexec() {
	mkdir -p /tmp/attack_deep
	chmod 777 /tmp/attack_deep
	begin "execs of the longest path and arguments, 20 s" 20
	as $ATTACKER $ATTACK bigexec 20 /tmp/attack_deep
	finish user
}

# $vigild is vigild's pid: nice and vigil_child exec it in place.
attack_sigstop() {
	begin "root stops the broker for 20 s" 35
	sleep 3
	kill -STOP $vigild
	sleep 20
	kill -CONT $vigild
	finish stop
}

attack_sigkill() {
	begin "root kills the broker; it is restarted" 20
	sleep 5
	kill -9 $vigild
	wait $vigild 2>/dev/null
	start_vigild
	finish kill
}

# Start a load in the background; wait_loads waits for every one.
load() {
	as $ATTACKER $ATTACK "$@" &
	loads="$loads $!"
}

wait_loads() {
	for p in $loads; do
		wait "$p"
	done
	loads=
}

loads=
# The CPU as systemd shares it: vigild.service (CPUWeight=1000) in the
# system slice, users' processes in theirs (weight 100).  nice alone cannot
# hold 500 processes of a fork bomb off the broker; cgroups do.
mkdir -p /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
echo +cpu >/sys/fs/cgroup/cgroup.subtree_control
mkdir -p /sys/fs/cgroup/vigild /sys/fs/cgroup/users
echo 1000 >/sys/fs/cgroup/vigild/cpu.weight
echo 100 >/sys/fs/cgroup/users/cpu.weight
# This shell, and so every attacker, victim and check, is a user's.
echo $$ >/sys/fs/cgroup/users/cgroup.procs
# mdev gives /dev/vigil to the vigil group a moment after the module loads.
i=0
while [ "$(stat -c %g /dev/vigil 2>/dev/null)" != 990 ] && [ $i -lt 50 ]; do
	usleep 100000
	i=$((i + 1))
done
cp $CHILD /tmp/victim
chmod 755 /tmp/victim
echo "# attack suite on $(uname -r), shipped defaults:" \
	"$(cd /sys/module/vigil/parameters && for p in watchdog_*; do printf '%s=%s ' "$p" "$(cat "$p")"; done)"
for a in $(echo "${attack_rows:-flood,burst,forkbomb,hogs,bigexec,sigstop,sigkill}" | tr , ' '); do
	"attack_$a"
done
