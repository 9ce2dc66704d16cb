// SPDX-License-Identifier: GPL-2.0
/*
 * Network events: kprobes on the security hooks of connect(2), bind(2)
 * and listen(2), and on security_sock_graft(), where accept(2) gives the
 * new connection its socket (inet_accept() and unix_accept() both graft
 * it once it is established): so an accept is reported with its peer.
 * AF_INET, AF_INET6 and AF_UNIX sockets only.  They run in the task
 * making the call, in atomic context.
 */

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kprobes.h>
#include <linux/net.h>
#include <linux/sched.h>
#include <linux/security.h>
#include <linux/socket.h>
#include <linux/un.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "compat.h"
#include "emit.h"
#include "net_events.h"

static void __maybe_unused vigil_net_events_check_types(void)
{
	BUILD_BUG_ON(!__same_type(&security_socket_connect,
				  int (*)(struct socket *, struct sockaddr *, int)));
	BUILD_BUG_ON(!__same_type(&security_socket_bind,
				  int (*)(struct socket *, struct sockaddr *, int)));
	BUILD_BUG_ON(!__same_type(&security_socket_listen,
				  int (*)(struct socket *, int)));
	BUILD_BUG_ON(!__same_type(&security_sock_graft,
				  void (*)(struct sock *, struct socket *)));
	BUILD_BUG_ON(!__same_type(&vigil_on_socket_connect, kprobe_pre_handler_t));
}

static bool vigil_net_family(const struct sock *sk)
{
	return sk && (sk->sk_family == AF_INET || sk->sk_family == AF_INET6 ||
		      sk->sk_family == AF_UNIX);
}

/* The address of @sk (@peer: of its peer) as a socket address. */
static void vigil_net_inet_addr(const struct sock *sk, bool peer,
				struct vigil_sockaddr *out)
{
	const struct inet_sock *inet = inet_sk(sk);

	out->family = sk->sk_family;
	out->port = ntohs(peer ? inet->inet_dport : inet->inet_sport);
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		const struct in6_addr *a = peer ? &sk->sk_v6_daddr : &sk->sk_v6_rcv_saddr;

		memcpy(out->addr, a, sizeof(*a));
		out->scope_id = sk->sk_bound_dev_if;
		return;
	}
#endif
	memcpy(out->addr, peer ? &inet->inet_daddr : &inet->inet_rcv_saddr,
	       sizeof(inet->inet_daddr));
}

/*
 * Describe @sk's address (@peer: its peer's) in @out, and append its
 * AF_UNIX path as @field.
 */
static void vigil_net_sock_addr(struct vigil_rec *rec, struct sock *sk, bool peer,
				struct vigil_sockaddr *out, u16 field)
{
	const struct unix_address *addr;
	struct sock *owner = sk;
	u32 n;

	if (sk->sk_family != AF_UNIX) {
		vigil_net_inet_addr(sk, peer, out);
		return;
	}
	out->family = AF_UNIX;
	if (peer)
		owner = unix_peer(sk);
	if (!owner)
		return;
	/* Pairs with the release in unix_bind(): a bound address is whole. */
	addr = smp_load_acquire(&unix_sk(owner)->addr);
	if (!addr)
		return;
	n = vigil_rec_fill_sockaddr(out, (const struct sockaddr *)addr->name, addr->len);
	vigil_rec_put_unix_path(rec, field, addr->name, n);
}

/* Start a network record about @sock's socket: the socket and the actor. */
static struct vigil_net_event *vigil_net_begin(struct vigil_emit *em, u32 type,
					       struct sock *sk)
{
	struct vigil_net_event *ev;

	if ((current->flags & PF_KTHREAD) || !vigil_net_family(sk))
		return NULL;
	ev = vigil_emit_begin(em, type, sizeof(*ev));
	if (!ev)
		return NULL;
	ev->family = sk->sk_family;
	ev->type = sk->sk_type;
	ev->protocol = sk->sk_family == AF_UNIX ? 0 : sk->sk_protocol;
	vigil_emit_put_actor(em, &ev->actor);
	return ev;
}

/* An address the caller gave: @out and, for AF_UNIX, its path as @field. */
static void vigil_net_given_addr(struct vigil_rec *rec, struct vigil_sockaddr *out,
				 const struct sockaddr *sa, int len, u16 field)
{
	u32 n = vigil_rec_fill_sockaddr(out, sa, len);

	if (out->family == AF_UNIX)
		vigil_rec_put_unix_path(rec, field, (const struct sockaddr_un *)sa, n);
}

/* security_socket_connect(sock, address, addrlen): @address a kernel copy. */
int vigil_on_socket_connect(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (void *)vigil_kprobe_arg(regs, 0);
	const struct sockaddr *sa = (void *)vigil_kprobe_arg(regs, 1);
	int len = (int)vigil_kprobe_arg(regs, 2);
	struct vigil_net_event *ev;
	struct vigil_emit em;

	ev = vigil_net_begin(&em, VIGIL_EVENT_NET_CONNECT, sock->sk);
	if (!ev)
		return 0;
	vigil_net_sock_addr(&em.rec, sock->sk, false, &ev->local, VIGIL_FIELD_LOCAL_PATH);
	vigil_net_given_addr(&em.rec, &ev->remote, sa, len, VIGIL_FIELD_PEER_PATH);
	vigil_emit_end(&em);
	return 0;
}

/* security_socket_bind(sock, address, addrlen). */
int vigil_on_socket_bind(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (void *)vigil_kprobe_arg(regs, 0);
	const struct sockaddr *sa = (void *)vigil_kprobe_arg(regs, 1);
	int len = (int)vigil_kprobe_arg(regs, 2);
	struct vigil_net_event *ev;
	struct vigil_emit em;

	ev = vigil_net_begin(&em, VIGIL_EVENT_NET_BIND, sock->sk);
	if (!ev)
		return 0;
	vigil_net_given_addr(&em.rec, &ev->local, sa, len, VIGIL_FIELD_LOCAL_PATH);
	vigil_emit_end(&em);
	return 0;
}

/* security_socket_listen(sock, backlog). */
int vigil_on_socket_listen(struct kprobe *kp, struct pt_regs *regs)
{
	struct socket *sock = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_net_event *ev;
	struct vigil_emit em;

	ev = vigil_net_begin(&em, VIGIL_EVENT_NET_LISTEN, sock->sk);
	if (!ev)
		return 0;
	ev->backlog = (u32)vigil_kprobe_arg(regs, 1);
	vigil_net_sock_addr(&em.rec, sock->sk, false, &ev->local, VIGIL_FIELD_LOCAL_PATH);
	vigil_emit_end(&em);
	return 0;
}

/*
 * security_sock_graft(sk, parent): @sk, the accepted connection, gets its
 * socket @parent.  Only accept(2) grafts a socket that has a peer.
 */
int vigil_on_sock_graft(struct kprobe *kp, struct pt_regs *regs)
{
	struct sock *sk = (void *)vigil_kprobe_arg(regs, 0);
	struct vigil_net_event *ev;
	struct vigil_emit em;

	ev = vigil_net_begin(&em, VIGIL_EVENT_NET_ACCEPT, sk);
	if (!ev)
		return 0;
	vigil_net_sock_addr(&em.rec, sk, false, &ev->local, VIGIL_FIELD_LOCAL_PATH);
	vigil_net_sock_addr(&em.rec, sk, true, &ev->remote, VIGIL_FIELD_PEER_PATH);
	vigil_emit_end(&em);
	return 0;
}
