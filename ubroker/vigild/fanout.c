// SPDX-License-Identifier: GPL-2.0
/*
 * vigild's records to its clients: each record goes into the ring of
 * every client subscribed to its type and not muting it; an AUTH event
 * waits for each client asked until that client's deadline (a heap of
 * deadlines gives poll() its timeout), any deny deciding it at once; a
 * client cut off or gone counts as a missing answer at once.  A client
 * whose ring (or lane) stays full for stall_ms is cut off.  See clients.h.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "clients_impl.h"

/* ---- AUTH events waiting for clients ------------------------------------- */

static void pending_decide(struct vigild_clients *cl, struct pending *p)
{
	struct verdict_final f = verdict_combo_result(&p->combo,
						      cl->cfg.missing_verdict);

	cl->ops.verdict(cl->ops.ctx, p->id, f.verdict, f.flags);
	cl->decided++;
	memset(p->waiting, 0, cl->slots);
	p->id = 0;
}

/* Client @slot will not answer @p: it missed, left, or was cut off. */
static void pending_miss(struct vigild_clients *cl, struct pending *p,
			 uint32_t slot)
{
	p->waiting[slot] = 0;
	verdict_combo_miss(&p->combo);
	if (!p->filling && verdict_combo_done(&p->combo))
		pending_decide(cl, p);
}

static struct pending *pending_find(struct vigild_clients *cl, uint64_t id)
{
	unsigned int i;

	for (i = 0; id && i < MAX_PENDING; i++)
		if (cl->pending[i].id == id)
			return &cl->pending[i];
	return NULL;
}

static struct pending *pending_new(struct vigild_clients *cl,
				   const struct vigil_auth *auth)
{
	unsigned int i;

	for (i = 0; i < MAX_PENDING; i++) {
		struct pending *p = &cl->pending[i];

		if (!p->id) {
			p->id = auth->id;
			p->gen++;
			p->kernel_deadline_ns = auth->deadline_ns;
			verdict_combo_init(&p->combo, 0);
			p->filling = 1;
			return p;
		}
	}
	return NULL;
}

void fanout_client_gone(struct vigild_clients *cl, uint32_t slot)
{
	unsigned int i;

	for (i = 0; i < MAX_PENDING; i++)
		if (cl->pending[i].id && cl->pending[i].waiting[slot])
			pending_miss(cl, &cl->pending[i], slot);
}

int fanout_answer(struct vigild_clients *cl, struct client *c,
		  const struct vigil_msg_verdict *v)
{
	uint32_t slot = (uint32_t)(c - cl->c);
	struct pending *p = pending_find(cl, v->id);

	if (!p || !p->waiting[slot]) {
		c->st.auth_late++;
		return 0;
	}
	p->waiting[slot] = 0;
	c->st.auth_answered++;
	c->st.misses_in_row = 0;
	verdict_combo_answer(&p->combo, v->verdict, v->flags);
	if (verdict_combo_done(&p->combo))
		pending_decide(cl, p);
	return 1;
}

/* The event and client slot of a deadline's key, if it still waits; or NULL. */
static struct pending *waiting_for(struct vigild_clients *cl,
				   const struct deadline *d, uint32_t *slot)
{
	struct pending *p = &cl->pending[(d->key >> 16) & 0xffff];

	*slot = (uint32_t)(d->key & 0xffff);
	if (!p->id || p->gen != (uint32_t)(d->key >> 32) || !p->waiting[*slot])
		return NULL;	/* answered, or another event's by now */
	return p;
}

static int settled(const struct deadline *d, void *ctx)
{
	uint32_t slot;

	return !waiting_for(ctx, d, &slot);
}

/* A deadline is due: the client it was for missed the event. */
static void deadline_due(struct vigild_clients *cl, const struct deadline *d)
{
	uint32_t slot;
	struct pending *p = waiting_for(cl, d, &slot);
	struct client *c = &cl->c[slot];

	if (!p)
		return;
	c->st.auth_missed++;
	c->st.misses_in_row++;
	pending_miss(cl, p, slot);
	if (c->st.misses_in_row >= cl->cfg.cut_off_misses)
		clients_cut_off(cl, c, VIGIL_CUT_OFF_MISSES);
}

void fanout_expire(struct vigild_clients *cl, uint64_t now_ns)
{
	struct deadline d;

	while (deadline_pop_due(&cl->deadlines, now_ns, &d))
		deadline_due(cl, &d);
}

/* Ask @c about @p: its deadline goes on the heap. */
static int ask(struct vigild_clients *cl, struct pending *p, uint32_t slot)
{
	uint64_t when = verdict_client_deadline(clients_now_ns(),
						p->kernel_deadline_ns,
						cl->cfg.client_deadline_ms);
	uint64_t key = ((uint64_t)p->gen << 32) |
		       ((uint64_t)(p - cl->pending) << 16) | slot;

	/* Full of events decided early, whose deadlines wait to be popped? */
	if (deadline_push(&cl->deadlines, when, key) &&
	    (!deadline_prune(&cl->deadlines, settled, cl) ||
	     deadline_push(&cl->deadlines, when, key)))
		return -ENOSPC;
	p->waiting[slot] = 1;
	p->combo.asked++;
	cl->c[slot].st.auth_asked++;
	return 0;
}

/* ---- records ------------------------------------------------------------- */

/*
 * Put a record of @type in @c's ring, or its lane if it has one and the
 * type travels there; 0, or -ENOSPC if it did not fit.  A ring that stays
 * full for stall_ms cuts the client off.
 */
static int deliver(struct vigild_clients *cl, struct client *c, uint32_t type,
		   const void *rec, uint32_t len)
{
	struct client_ring *cr = c->has_lane && vigil_cring_in_lane(type) ?
				 &c->lane : &c->ring;
	int err = vigil_cring_push(&cr->r, rec, len);

	if (err == -EPROTO) {
		clients_cut_off(cl, c, VIGIL_CUT_OFF_PROTOCOL);
		return err;
	}
	if (err) {
		uint64_t now = clients_now_ns();

		c->st.dropped++;
		if (!cr->full_since_ns)
			cr->full_since_ns = now;
		else if (now - cr->full_since_ns >= (uint64_t)cl->cfg.stall_ms * 1000000ULL)
			clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		return err;
	}
	cr->full_since_ns = 0;
	c->st.events++;
	c->woken = 1;
	return 0;
}

/*
 * Whether @c gets @v: subscribed (or a watchdog record), not muted, and
 * not an AUTH event of its own process, which would wait for an answer
 * from a process that waits.
 */
static int wants(const struct client *c, const struct vigil_event_view *v)
{
	if (c->fd < 0 || !c->ready || v->type >= 64)
		return 0;
	/* Watchdog records go to every client: they say why events stop. */
	if (v->type != VIGIL_EVENT_WATCHDOG && !(c->events & VIGIL_EVENT_BIT(v->type)))
		return 0;
	if (vigil_event_auth(v) && vigild_event_tgid(v) == c->pid)
		return 0;
	return !mute_set_match(&c->mutes, v);
}

int vigild_clients_record(struct vigild_clients *cl, const void *rec,
			  uint32_t len, const struct vigil_event_view *v, int decide)
{
	const struct vigil_auth *auth = decide ? vigil_event_auth(v) : NULL;
	struct pending *p = auth ? pending_new(cl, auth) : NULL;
	uint32_t i;
	int asked;

	for (i = 0; i < cl->slots; i++) {
		struct client *c = &cl->c[i];

		if (!wants(c, v))
			continue;
		if (deliver(cl, c, v->type, rec, len))
			continue;	/* dropped, or cut off: not asked */
		if (p && ask(cl, p, i))
			c->st.auth_missed++;	/* no room to wait: missing */
	}
	if (!p)
		return 0;
	/*
	 * Clients cut off while it was being handed out (a notice that did
	 * not fit) already count as missing: decide now if nobody is left.
	 */
	p->filling = 0;
	asked = (int)p->combo.asked;
	if (!asked)
		p->id = 0;
	else if (verdict_combo_done(&p->combo))
		pending_decide(cl, p);
	return asked;
}

void vigild_clients_wake(struct vigild_clients *cl)
{
	uint64_t one = 1;
	uint32_t i;

	for (i = 0; i < cl->slots; i++) {
		struct client *c = &cl->c[i];

		if (c->fd >= 0 && c->woken) {
			c->woken = 0;
			if (write(c->evfd, &one, sizeof(one)) < 0 && errno != EAGAIN)
				clients_cut_off(cl, c, VIGIL_CUT_OFF_STALLED);
		}
	}
}
