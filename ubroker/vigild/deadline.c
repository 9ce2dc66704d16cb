// SPDX-License-Identifier: GPL-2.0
/* A bounded min-heap of deadlines. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "deadline.h"

int deadline_queue_init(struct deadline_queue *q, size_t cap)
{
	q->heap = calloc(cap ? cap : 1, sizeof(*q->heap));
	q->len = 0;
	q->cap = cap;
	return q->heap ? 0 : -ENOMEM;
}

void deadline_queue_free(struct deadline_queue *q)
{
	free(q->heap);
	q->heap = NULL;
	q->len = q->cap = 0;
}

static void swap(struct deadline *a, struct deadline *b)
{
	struct deadline t = *a;

	*a = *b;
	*b = t;
}

static void sift_up(struct deadline *h, size_t i)
{
	while (i && h[(i - 1) / 2].when_ns > h[i].when_ns) {
		swap(&h[(i - 1) / 2], &h[i]);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct deadline *h, size_t len, size_t i)
{
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;

		if (l < len && h[l].when_ns < h[least].when_ns)
			least = l;
		if (r < len && h[r].when_ns < h[least].when_ns)
			least = r;
		if (least == i)
			return;
		swap(&h[i], &h[least]);
		i = least;
	}
}

int deadline_push(struct deadline_queue *q, uint64_t when_ns, uint64_t key)
{
	if (q->len == q->cap)
		return -ENOSPC;
	q->heap[q->len] = (struct deadline){ .when_ns = when_ns, .key = key };
	sift_up(q->heap, q->len++);
	return 0;
}

size_t deadline_prune(struct deadline_queue *q,
		      int (*stale)(const struct deadline *d, void *ctx), void *ctx)
{
	size_t i, kept = 0, removed;

	for (i = 0; i < q->len; i++)
		if (!stale(&q->heap[i], ctx))
			q->heap[kept++] = q->heap[i];
	removed = q->len - kept;
	q->len = kept;
	/* Heapify: sift down every parent, from the last one up. */
	for (i = kept / 2; i-- > 0;)
		sift_down(q->heap, kept, i);
	return removed;
}

int deadline_pop_due(struct deadline_queue *q, uint64_t now_ns,
		     struct deadline *d)
{
	if (!q->len || q->heap[0].when_ns > now_ns)
		return 0;
	*d = q->heap[0];
	q->heap[0] = q->heap[--q->len];
	sift_down(q->heap, q->len, 0);
	return 1;
}

int deadline_timeout_ms(const struct deadline_queue *q, uint64_t now_ns)
{
	uint64_t left, ms;

	if (!q->len)
		return -1;
	if (q->heap[0].when_ns <= now_ns)
		return 0;
	left = q->heap[0].when_ns - now_ns;
	ms = (left + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}
