// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/vigil/watchdog/, one value per file:
 *
 *   state           armed | degraded | tripped
 *   reason          the fault class of the last degrade or trip, or none
 *   trips           trips since the module was loaded
 *   trip_time_ns    CLOCK_MONOTONIC time of the last trip, or 0
 *   rearm_wait_ms   while tripped, how long a re-arm must still wait
 *   auto_rearm_wait_ms  while tripped, how long until it re-arms by
 *                   itself; 0 if it will not
 *   auto_rearms     re-arms by itself since the module was loaded
 *   degrades        degrades since the module was loaded
 *   recover_wait_ms while degraded, how long before a healthy broker
 *                   brings it back
 *   window_faults   faults within the current window
 *   hooks           attached | detached
 *   faults/<class>  faults of each class since the module was loaded
 *   rearm           write 1 to re-arm (CAP_SYS_ADMIN)
 *
 * The state files are world-readable: they say nothing a user could
 * abuse, and a user wondering why their open was slow may look.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/math64.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>
#include <linux/vigil.h>

#include "fault.h"
#include "shim.h"
#include "sysfs.h"

static struct kobject *vigil_kobj;
static struct kobject *vigil_watchdog_kobj;

static struct vigil_watchdog_status vigil_sysfs_status(void)
{
	struct vigil_watchdog_status st;

	vigil_shim_status(&st);
	return st;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  vigil_watchdog_state_name(vigil_sysfs_status().state));
}

static ssize_t reason_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", vigil_fault_name(vigil_sysfs_status().reason));
}

static ssize_t trips_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", vigil_sysfs_status().trips);
}

static ssize_t trip_time_ns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", vigil_sysfs_status().trip_time_ns);
}

/* Milliseconds from now until @when_ns, rounded up; 0 if past. */
static ssize_t vigil_sysfs_wait_ms(char *buf, u64 when_ns)
{
	u64 now = ktime_get_ns();
	u64 wait = when_ns > now ? DIV_ROUND_UP_ULL(when_ns - now, NSEC_PER_MSEC) : 0;

	return sysfs_emit(buf, "%llu\n", wait);
}

static ssize_t rearm_wait_ms_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return vigil_sysfs_wait_ms(buf, vigil_sysfs_status().rearm_after_ns);
}

static ssize_t auto_rearm_wait_ms_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return vigil_sysfs_wait_ms(buf, vigil_sysfs_status().auto_rearm_ns);
}

static ssize_t recover_wait_ms_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return vigil_sysfs_wait_ms(buf, vigil_sysfs_status().recover_after_ns);
}

static ssize_t auto_rearms_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vigil_sysfs_status().auto_rearms);
}

static ssize_t degrades_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", vigil_sysfs_status().degrades);
}

static ssize_t window_faults_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", vigil_sysfs_status().window_faults);
}

static ssize_t hooks_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	bool attached = vigil_sysfs_status().hooks_attached;

	return sysfs_emit(buf, "%s\n", attached ? "attached" : "detached");
}

/* "1" re-arms; the errors are VIGIL_IOC_REARM's. */
static ssize_t rearm_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	int err;

	if (!sysfs_streq(buf, "1"))
		return -EINVAL;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	err = vigil_shim_rearm();
	return err ? err : count;
}

static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute reason_attr = __ATTR_RO(reason);
static struct kobj_attribute trips_attr = __ATTR_RO(trips);
static struct kobj_attribute trip_time_ns_attr = __ATTR_RO(trip_time_ns);
static struct kobj_attribute rearm_wait_ms_attr = __ATTR_RO(rearm_wait_ms);
static struct kobj_attribute auto_rearm_wait_ms_attr = __ATTR_RO(auto_rearm_wait_ms);
static struct kobj_attribute auto_rearms_attr = __ATTR_RO(auto_rearms);
static struct kobj_attribute degrades_attr = __ATTR_RO(degrades);
static struct kobj_attribute recover_wait_ms_attr = __ATTR_RO(recover_wait_ms);
static struct kobj_attribute window_faults_attr = __ATTR_RO(window_faults);
static struct kobj_attribute hooks_attr = __ATTR_RO(hooks);
static struct kobj_attribute rearm_attr = __ATTR_WO(rearm);

static struct attribute *vigil_watchdog_attrs[] = {
	&state_attr.attr,
	&reason_attr.attr,
	&trips_attr.attr,
	&trip_time_ns_attr.attr,
	&rearm_wait_ms_attr.attr,
	&auto_rearm_wait_ms_attr.attr,
	&auto_rearms_attr.attr,
	&degrades_attr.attr,
	&recover_wait_ms_attr.attr,
	&window_faults_attr.attr,
	&hooks_attr.attr,
	&rearm_attr.attr,
	NULL,
};

static const struct attribute_group vigil_watchdog_group = {
	.attrs = vigil_watchdog_attrs,
};

/* faults/<class>: one file per fault class, named as vigil_fault_name(). */
struct vigil_fault_attr {
	struct kobj_attribute attr;
	u32 class;
};

static ssize_t fault_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	u32 class = container_of(attr, struct vigil_fault_attr, attr)->class;

	return sysfs_emit(buf, "%llu\n", vigil_sysfs_status().faults[class]);
}

#define VIGIL_FAULT_ATTR(_name, _class)					\
	static struct vigil_fault_attr fault_##_name##_attr = {		\
		.attr = __ATTR(_name, 0444, fault_show, NULL),		\
		.class = _class,					\
	}

VIGIL_FAULT_ATTR(broker_gone, VIGIL_FAULT_BROKER_GONE);
VIGIL_FAULT_ATTR(broker_hung, VIGIL_FAULT_BROKER_HUNG);
VIGIL_FAULT_ATTR(deadline_missed, VIGIL_FAULT_DEADLINE_MISSED);
VIGIL_FAULT_ATTR(ring_overflow, VIGIL_FAULT_RING_OVERFLOW);
VIGIL_FAULT_ATTR(internal_error, VIGIL_FAULT_INTERNAL_ERROR);
VIGIL_FAULT_ATTR(slow_hook, VIGIL_FAULT_SLOW_HOOK);

static struct attribute *vigil_fault_attrs[] = {
	&fault_broker_gone_attr.attr.attr,
	&fault_broker_hung_attr.attr.attr,
	&fault_deadline_missed_attr.attr.attr,
	&fault_ring_overflow_attr.attr.attr,
	&fault_internal_error_attr.attr.attr,
	&fault_slow_hook_attr.attr.attr,
	NULL,
};

static const struct attribute_group vigil_fault_group = {
	.name = "faults",
	.attrs = vigil_fault_attrs,
};

static const struct attribute_group *vigil_watchdog_groups[] = {
	&vigil_watchdog_group,
	&vigil_fault_group,
	NULL,
};

int vigil_sysfs_init(void)
{
	int err;

	vigil_kobj = kobject_create_and_add("vigil", kernel_kobj);
	if (!vigil_kobj)
		return -ENOMEM;
	vigil_watchdog_kobj = kobject_create_and_add("watchdog", vigil_kobj);
	if (!vigil_watchdog_kobj) {
		err = -ENOMEM;
		goto err_put_vigil;
	}
	err = sysfs_create_groups(vigil_watchdog_kobj, vigil_watchdog_groups);
	if (err)
		goto err_put_watchdog;
	return 0;

err_put_watchdog:
	kobject_put(vigil_watchdog_kobj);
err_put_vigil:
	kobject_put(vigil_kobj);
	return err;
}

/* On return no attribute's method runs, or will. */
void vigil_sysfs_uninit(void)
{
	sysfs_remove_groups(vigil_watchdog_kobj, vigil_watchdog_groups);
	kobject_put(vigil_watchdog_kobj);
	kobject_put(vigil_kobj);
}
