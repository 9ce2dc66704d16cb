#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, in the VM: the shim is loaded, vigild connects, a few commands
# run, and the events they produced are shown.

say() { printf '\n\033[1m%s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# vigild runs as the unprivileged vigil user (what systemd's User=vigil
# does on a real system); /dev/vigil's group lets it in.
VIGILD="/vigil/bin/vigil_child as-broker /vigil/bin/vigild"

say "vigil demo on Linux $(uname -r) (Debian's own kernel, under QEMU)"
dmesg | grep 'vigil: ABI'
run ls -l /dev/vigil

say "Starting the broker as the vigil user: vigild --format text"
$VIGILD --format text >/tmp/events.txt 2>/tmp/vigild.err &
vigild=$!
while ! grep -q connected /tmp/vigild.err 2>/dev/null; do sleep 0.1; done
cat /tmp/vigild.err
echo "(no root, no capabilities, no_new_privs, a seccomp allowlist:)"
grep -E '^(Uid|CapEff|NoNewPrivs|Seccomp):' /proc/$vigild/status

say "Running a few commands"
run ls /vigil/bin
run sh -c 'echo "hello from pid $$"; exit 3'
run cat /proc/sys/kernel/ostype
run /vigil/bin/vigil_child args with "three arguments"

kill -INT $vigild
wait $vigild

say "What vigild saw (leaving out this script's own look at vigild's log)"
grep -v vigild.err /tmp/events.txt
tail -n 1 /tmp/vigild.err

say "The event catalogue: files, signals, network, credentials"
echo "(their hooks are attached only while a broker subscribes to them)"
$VIGILD --format text --events file_create,file_rename,file_unlink,signal,net_connect,cred \
	>/tmp/catalogue.txt 2>/tmp/catalogue.err &
vigild=$!
while ! grep -q connected /tmp/catalogue.err 2>/dev/null; do sleep 0.1; done
run touch /tmp/report.txt
run mv /tmp/report.txt /tmp/report.old
run rm /tmp/report.old
run sh -c 'sleep 5 & kill $!'
run nc 127.0.0.1 9 </dev/null || echo "(exit status $?)"
run /vigil/bin/vigil_child as-user 1000 /bin/true
kill -INT $vigild
wait $vigild
grep -v -e catalogue.err -e vigild.err /tmp/catalogue.txt

say "Permission decisions: vigild --auth --deny-exec /tmp"
echo "(the shim asks vigild before every exec; vigild denies anything under /tmp)"
cp /vigil/bin/vigil_child /tmp/dropped-tool
$VIGILD --auth --deny-exec /tmp --format text >/tmp/auth.txt 2>/tmp/auth.err &
vigild=$!
while ! grep -q connected /tmp/auth.err 2>/dev/null; do sleep 0.1; done
run /tmp/dropped-tool args hello || echo "(exit status $?)"
run /vigil/bin/vigil_child args hello && echo "(allowed: exit status 0)"
kill -INT $vigild
wait $vigild
grep '^AUTH' /tmp/auth.txt
grep auth_stats /tmp/auth.txt | grep auth_exec
tail -n 1 /tmp/auth.err

say "Security products on libvigil, each its own unprivileged process"
echo "(vigild --socket serves them: vigil-exec-guard denies programs from /tmp"
echo " and /dev/shm, vigil-log writes JSON lines; both run as uid 1000, which"
echo " vigild's allowlist admits)"
printf 'allowlist = /tmp/demo.allow\n' >/tmp/demo.conf
echo "user 1000" >/tmp/demo.allow
SOCK=/tmp/vigild.sock
PRODUCT="/vigil/bin/vigil_child as-user 1000"
$VIGILD --socket $SOCK --config /tmp/demo.conf >/dev/null 2>/tmp/sdk.err &
vigild=$!
while ! grep -q 'serving clients' /tmp/sdk.err 2>/dev/null; do sleep 0.1; done
$PRODUCT /vigil/bin/vigil-exec-guard --socket $SOCK 2>/tmp/guard.err &
guard=$!
$PRODUCT /vigil/bin/vigil-log --socket $SOCK --events auth_exec --exe-prefix /tmp \
	>/tmp/log.json 2>/tmp/log.err &
log=$!
while ! grep -q guarding /tmp/guard.err 2>/dev/null; do sleep 0.1; done
while ! grep -q logging /tmp/log.err 2>/dev/null; do sleep 0.1; done
run /tmp/dropped-tool args hello || echo "(exit status $?)"
run /vigil/bin/vigil_child args hello && echo "(allowed: exit status 0)"
run vigilctl --socket $SOCK clients
kill $guard $log
wait $guard $log
grep -v guarding /tmp/guard.err
echo "vigil-log was asked about the exec from /tmp too; it allowed it, the"
echo "guard denied it, and any deny wins:"
cat /tmp/log.json
kill -INT $vigild
wait $vigild

say "A vendor that hangs: the shim degrades, the shell stays usable"
echo "(vigild answers permission events; then it is stopped, as a hung vendor"
echo " would be.  Each exec waits for it no longer than 1 s; 5 missed deadlines"
echo " within a minute degrade the shim: execs get their miss verdict at once,"
echo " and every other event keeps flowing.)"
$VIGILD --auth --format text >/tmp/hung.txt 2>/tmp/hung.err &
vigild=$!
while ! grep -q connected /tmp/hung.err 2>/dev/null; do sleep 0.1; done
run vigilctl status
run kill -STOP $vigild
# Only shell builtins between the execs timed: every exec would wait too.
for i in 1 2 3 4 5 6 7; do
	read -r t0 _ </proc/uptime
	/vigil/bin/vigil_child exit 0
	read -r t1 _ </proc/uptime
	echo "exec $i of vigil_child: $(( (${t1%.*}${t1#*.} - ${t0%.*}${t0#*.}) * 10 )) ms"
done
dmesg | grep 'watchdog degraded' | sed 's/^\[[ 0-9.]*\] //'
run vigilctl status
run ls /vigil
say "The vendor comes back: the shim is armed again by itself"
run kill -CONT $vigild
echo "(the next heartbeat, within 5 s, finds vigild healthy)"
while [ "$(cat /sys/kernel/vigil/watchdog/state)" != armed ]; do sleep 0.2; done
dmesg | grep 'watchdog armed again' | sed 's/^\[[ 0-9.]*\] //'
run /vigil/bin/vigil_child args after the recovery
sleep 0.5
kill -INT $vigild
wait $vigild
grep 'watchdog' /tmp/hung.err
grep 'after the recovery' /tmp/hung.txt

say "The same kind of record as vigild's default JSON output"
$VIGILD >/tmp/events.json 2>/dev/null &
vigild=$!
sleep 0.5
/vigil/bin/vigil_child args --json
kill -INT $vigild
wait $vigild
grep '"event":"exec"' /tmp/events.json | grep vigil_child
