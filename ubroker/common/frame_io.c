// SPDX-License-Identifier: GPL-2.0
/* Frames on a unix stream socket: see frame_io.h. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "frame_io.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @events on @fd until @end_ms (-1: no end); 0, or -ETIMEDOUT. */
static int wait_fd(int fd, short events, int64_t end_ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t left = end_ms < 0 ? -1 : end_ms - now_ms();
	int n;

	if (end_ms >= 0 && left <= 0)
		return -ETIMEDOUT;
	if (left > 3600 * 1000)
		left = 3600 * 1000;
	do {
		n = poll(&p, 1, (int)left);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n ? 0 : -ETIMEDOUT;
}

/* One sendmsg(2) of @buf, with @fds if any: bytes sent, or -errno. */
static ssize_t send_some(int fd, const unsigned char *buf, size_t len,
			 const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(VIGIL_FRAME_FDS_MAX * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	do {
		n = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int vigil_frame_send(int fd, uint16_t type, uint32_t seq, const void *payload,
		     size_t len, const int *fds, int nfds, int timeout_ms)
{
	unsigned char buf[VIGIL_FRAME_MAX];
	ssize_t framed = vigil_frame_build(buf, sizeof(buf), type, seq, payload, len);
	int64_t end = now_ms() + timeout_ms;
	size_t done = 0;

	if (framed < 0)
		return (int)framed;
	if (nfds < 0 || nfds > VIGIL_FRAME_FDS_MAX)
		return -EINVAL;
	while (done < (size_t)framed) {
		ssize_t n = send_some(fd, buf + done, (size_t)framed - done,
				      done ? NULL : fds, done ? 0 : nfds);
		int err;

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n != -EAGAIN)
			return (int)n;
		if (!timeout_ms)
			return -EAGAIN;
		err = wait_fd(fd, POLLOUT, end);
		if (err)
			return err;
	}
	return 0;
}

void vigil_frame_reader_init(struct vigil_frame_reader *r, int max_fds)
{
	memset(r, 0, sizeof(*r));
	r->max_fds = max_fds < 0 ? 0 :
		     max_fds > VIGIL_FRAME_FDS_MAX ? VIGIL_FRAME_FDS_MAX : max_fds;
}

void vigil_frame_reader_reset(struct vigil_frame_reader *r)
{
	int i;

	for (i = 0; i < r->nfds; i++)
		close(r->fds[i]);
	vigil_frame_reader_init(r, r->max_fds);
}

/* Keep what fits of the descriptors that came; close the rest. */
static void keep_fds(struct vigil_frame_reader *r, struct msghdr *mh)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n, i;
		int fd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(fd));
			if (r->nfds < r->max_fds) {
				r->fds[r->nfds++] = fd;
			} else {
				close(fd);
				r->refused_fds++;
			}
		}
	}
	if (mh->msg_flags & MSG_CTRUNC)
		r->truncated = 1;
}

ssize_t vigil_frame_reader_fill(struct vigil_frame_reader *r, int fd)
{
	/* Room for more than we keep: what does not fit is closed, not lost in flight. */
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct iovec iov = { .iov_base = r->buf + r->len,
			     .iov_len = sizeof(r->buf) - r->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	if (!iov.iov_len)
		return -ENOBUFS;
	do {
		n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	keep_fds(r, &mh);
	r->len += (size_t)n;
	return n;
}

int vigil_frame_next(struct vigil_frame_reader *r, struct vigil_msg *msg,
		     int *msg_err)
{
	ssize_t len = vigil_frame_parse(r->buf, r->len);

	if (len <= 0)
		return (int)len;
	*msg_err = vigil_msg_check(r->buf, (size_t)len, msg);
	r->len -= (size_t)len;
	memmove(r->buf, r->buf + len, r->len);
	return 1;
}

int vigil_frame_take_fds(struct vigil_frame_reader *r, int *fds, int n)
{
	int taken = n < r->nfds ? n : r->nfds;

	memcpy(fds, r->fds, (size_t)taken * sizeof(int));
	memmove(r->fds, r->fds + taken, (size_t)(r->nfds - taken) * sizeof(int));
	r->nfds -= taken;
	return taken;
}

int vigil_frame_recv(struct vigil_frame_reader *r, int fd, struct vigil_msg *msg,
		     int timeout_ms)
{
	int64_t end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;

	for (;;) {
		int msg_err = 0, got = vigil_frame_next(r, msg, &msg_err);
		ssize_t n;

		if (got < 0)
			return got;
		if (got)
			return msg_err;
		n = vigil_frame_reader_fill(r, fd);
		if (n == 0)
			return -ECONNRESET;
		if (n > 0)
			continue;
		if (n != -EAGAIN)
			return (int)n;
		n = wait_fd(fd, POLLIN, end);
		if (n)
			return (int)n;
	}
}
