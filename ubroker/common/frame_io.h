/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames of the client protocol (proto.h) on a unix stream socket:
 * sending one whole, with descriptors if any, and reading a stream of
 * them into whole messages.  Shared by vigild, libvigil, vigilctl and
 * the tests, so that both ends frame alike.
 */
#ifndef VIGIL_FRAME_IO_H
#define VIGIL_FRAME_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "proto.h"

#define VIGIL_FRAME_FDS_MAX	2	/* descriptors one frame may carry */

/*
 * Send a frame of @type with @payload (@len bytes) and, if @nfds, the
 * descriptors @fds (SCM_RIGHTS).  With @timeout_ms 0, only if the socket
 * takes it all at once (vigild never waits for a client); otherwise
 * waiting up to @timeout_ms for room.
 * Return: 0; -EMSGSIZE (too big: nothing sent); -EAGAIN (@timeout_ms 0,
 * no room) or -ETIMEDOUT; another -errno of sendmsg(2) (-EPIPE...).
 * After any error but -EMSGSIZE part of the frame may be gone: the
 * stream is unusable and the caller closes it.
 */
int vigil_frame_send(int fd, uint16_t type, uint32_t seq, const void *payload,
		     size_t len, const int *fds, int nfds, int timeout_ms);

/* A stream of frames being read: bytes of at most one frame, and fds. */
struct vigil_frame_reader {
	unsigned char buf[VIGIL_FRAME_MAX];
	size_t len;
	int max_fds;		/* accepted per read; others are closed */
	int fds[VIGIL_FRAME_FDS_MAX];
	int nfds;
	unsigned int refused_fds;	/* came past max_fds: closed */
	int truncated;		/* some did not come: MSG_CTRUNC (EMFILE?) */
};

/* Start reading; @max_fds (0 to VIGIL_FRAME_FDS_MAX) descriptors kept. */
void vigil_frame_reader_init(struct vigil_frame_reader *r, int max_fds);

/* Forget the bytes read and close the descriptors not taken. */
void vigil_frame_reader_reset(struct vigil_frame_reader *r);

/*
 * Read what @fd has, without waiting.
 * Return: bytes read (> 0); 0 at the end of the stream; -EAGAIN if
 * nothing is there; -ENOBUFS if a whole frame is buffered already (take
 * it first); another -errno of recvmsg(2).
 */
ssize_t vigil_frame_reader_fill(struct vigil_frame_reader *r, int fd);

/*
 * Take the next whole frame out of the buffer.
 * Return: 1 with @msg's type and seq set and *@msg_err the message's
 * check (vigil_msg_check(): 0, -EOPNOTSUPP, -EBADMSG, -EINVAL; the frame
 * is consumed either way); 0 if more bytes are needed; the header's
 * error (vigil_frame_parse()), after which the stream is unusable.
 */
int vigil_frame_next(struct vigil_frame_reader *r, struct vigil_msg *msg,
		     int *msg_err);

/*
 * Take up to @n of the descriptors that came with the bytes read, in
 * order, into @fds.  Return: how many.
 */
int vigil_frame_take_fds(struct vigil_frame_reader *r, int *fds, int n);

/*
 * Wait up to @timeout_ms (-1: no limit) for the next whole, valid message.
 * Return: 0 with @msg set; -ETIMEDOUT; -ECONNRESET at the end of the
 * stream; the frame's or the message's error; another -errno.
 */
int vigil_frame_recv(struct vigil_frame_reader *r, int fd, struct vigil_msg *msg,
		     int timeout_ms);

#endif /* VIGIL_FRAME_IO_H */
