// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's privileges: no root, no capabilities, no_new_privs, and a
 * seccomp allowlist of what the event loop calls.  A call outside it kills
 * the broker: its AUTH waiters then get their miss verdict at once, and
 * the watchdog counts the broker gone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/vigil.h>
#include <seccomp.h>

#include "sandbox.h"

int vigild_check_user(int allow_root, char *err, size_t errlen)
{
	err[0] = '\0';
	if (geteuid() != 0 && getuid() != 0)
		return 0;
	if (!allow_root) {
		snprintf(err, errlen, "refusing to run as root: run vigild as the vigil user, which /dev/vigil's group lets in (vigild(8)), or pass --allow-root");
		return -EPERM;
	}
	snprintf(err, errlen, "warning: running as root (--allow-root); capabilities are dropped, but root still owns root's files");
	return 0;
}

/* As root: empty the bounding set, so that no exec could regain a capability. */
static int drop_bounding_set(void)
{
	int cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) && errno != EPERM)
			return -errno;
	return 0;
}

static int drop_capabilities(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int ret = 0;

	if (geteuid() == 0)
		ret = drop_bounding_set();
	if (!ret && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0))
		ret = -errno;
	memset(data, 0, sizeof(data));
	if (!ret && syscall(SYS_capset, &hdr, data))
		ret = -errno;
	if (!ret && syscall(SYS_capget, &hdr, data))
		ret = -errno;
	if (!ret && (data[0].effective | data[0].permitted | data[0].inheritable |
		     data[1].effective | data[1].permitted | data[1].inheritable))
		ret = -EPERM;
	if (ret)
		snprintf(err, errlen, "cannot drop capabilities: %s", strerror(-ret));
	return ret;
}

/* What the event loop calls, and nothing that opens a path, execs or connects. */
static const int allowed_syscalls[] = {
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(writev), SCMP_SYS(close),
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(lseek), SCMP_SYS(brk), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(futex), SCMP_SYS(getrandom),
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(tgkill),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
	/* Clients: on the socket opened before, each a sealed memfd ring. */
	SCMP_SYS(accept4), SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(sendto),
	SCMP_SYS(sendmsg), SCMP_SYS(getsockopt), SCMP_SYS(memfd_create),
	SCMP_SYS(ftruncate), SCMP_SYS(fcntl), SCMP_SYS(eventfd2),
};

static int add_rules(scmp_filter_ctx ctx)
{
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < sizeof(allowed_syscalls) / sizeof(allowed_syscalls[0]); i++)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed_syscalls[i], 0);
	/* The shim's ioctls only: their type byte is VIGIL_IOC_MAGIC. */
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
				       SCMP_A1(SCMP_CMP_MASKED_EQ, 0xff00,
					       VIGIL_IOC_MAGIC << 8));
	/* Memory for malloc, never executable. */
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
				       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	if (!ret)
		ret = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mprotect), 1,
				       SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	return ret;
}

static int load_seccomp(char *err, size_t errlen)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int ret;

	if (!ctx) {
		snprintf(err, errlen, "cannot build the seccomp filter");
		return -ENOMEM;
	}
	ret = add_rules(ctx);
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret)
		snprintf(err, errlen, "cannot load the seccomp filter: %s",
			 strerror(-ret));
	return ret;
}

int vigild_sandbox(char *err, size_t errlen)
{
	int ret = drop_capabilities(err, errlen);

	if (ret)
		return ret;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		ret = -errno;
		snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
		return ret;
	}
	return load_seccomp(err, errlen);
}
