/*
 * ka_net: raw IP and packet sockets for keepalived-ts (Linux only).
 *
 * A deliberately thin N-API addon in plain C: every function maps to one
 * syscall family, makes no decisions and throws an Error shaped like Node's
 * system errors ({ code: 'EPERM', errno: -1, syscall: 'socket' }) on failure.
 * All policy (which options, which groups, what to do on error) lives in
 * src/net/native.ts and its callers.
 *
 * Exports (all synchronous; sockets are non-blocking and close-on-exec):
 *   open(family: 4|6|'packet', protocol) -> fd
 *   close(fd)
 *   setIntOption(fd, level, name, value)
 *   bindToDevice(fd, ifname)                 ('' unbinds)
 *   bind(fd, family, address, ifindex)       (ifindex = IPv6 scope id)
 *   setMulticastInterface(fd, family, ifindex)
 *   joinGroup(fd, family, group, ifindex) / leaveGroup(...)
 *   send(fd, family, data, dst, ifindex, flags) -> bytes sent
 *   sendPacket(fd, ifindex, dstMac, ethertype, frame) -> bytes sent
 *   recv(fd) -> undefined (EAGAIN) | { data, src, ifindex, dst?, hopLimit?, packetType? }
 *   poll(fd, callback) -> handle; stopPoll(handle)
 *   ifIndex(name) -> number (0 when there is no such interface)
 *   constants: { IPPROTO_IP, IP_HDRINCL, ... }
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

/* Largest IP datagram (IPv4 total length / IPv6 payload length is 16 bits). */
#define KA_RECV_CAP 65536
/* send() flags: keep in sync with src/net/native.ts. */
#define KA_SEND_DONTROUTE 1

typedef struct {
  unsigned char buf[KA_RECV_CAP];
} ka_instance;

/* ---------- errors ---------------------------------------------------- */

/* Throws Error(code: 'EXXX', errno: -err, syscall) for a positive errno or a
 * negative libuv code (on Unix, UV_EXXX == -EXXX). Always returns NULL. */
static napi_value throw_sys(napi_env env, int err, const char* syscall, const char* detail) {
  int uverr = err > 0 ? -err : err;
  char name[64], desc[128], text[512];
  uv_err_name_r(uverr, name, sizeof name);
  uv_strerror_r(uverr, desc, sizeof desc);
  snprintf(text, sizeof text, "%s: %s, %s%s%s", name, desc, syscall, detail ? " " : "", detail ? detail : "");
  napi_value code_v, msg_v, err_v, errno_v, sys_v;
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_v) != napi_ok ||
      napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg_v) != napi_ok ||
      napi_create_error(env, code_v, msg_v, &err_v) != napi_ok ||
      napi_create_int32(env, uverr, &errno_v) != napi_ok ||
      napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys_v) != napi_ok) {
    return NULL; /* an exception is already pending */
  }
  napi_set_named_property(env, err_v, "errno", errno_v);
  napi_set_named_property(env, err_v, "syscall", sys_v);
  napi_throw(env, err_v);
  return NULL;
}

static napi_value throw_type(napi_env env, const char* what) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", what);
  return NULL;
}

static napi_value throw_value(napi_env env, const char* code, const char* what) {
  napi_throw_range_error(env, code, what);
  return NULL;
}

/* ---------- argument helpers (return false with an exception pending) -- */

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < want) {
    char msg[64];
    snprintf(msg, sizeof msg, "expected %zu arguments, got %zu", want, argc);
    throw_type(env, msg);
    return false;
  }
  return true;
}

static bool get_int(napi_env env, napi_value v, const char* name, int32_t* out) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t != napi_number || napi_get_value_int32(env, v, out) != napi_ok) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a number", name);
    throw_type(env, msg);
    return false;
  }
  return true;
}

static bool get_fd(napi_env env, napi_value v, int* fd) {
  int32_t n;
  if (!get_int(env, v, "fd", &n)) return false;
  if (n < 0) {
    throw_sys(env, EBADF, "fd", NULL);
    return false;
  }
  *fd = n;
  return true;
}

/* Copies a JS string into buf (NUL-terminated); fails if it does not fit. */
static bool get_str(napi_env env, napi_value v, const char* name, char* buf, size_t size) {
  napi_valuetype t;
  size_t len;
  if (napi_typeof(env, v, &t) != napi_ok) return false;
  if (t != napi_string) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a string", name);
    throw_type(env, msg);
    return false;
  }
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return false;
  if (len >= size) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s is too long", name);
    throw_value(env, "ERR_OUT_OF_RANGE", msg);
    return false;
  }
  return napi_get_value_string_utf8(env, v, buf, size, &len) == napi_ok;
}

/* A Uint8Array (Buffer included): pointer to its first byte and its length. */
static bool get_bytes(napi_env env, napi_value v, const char* name, const uint8_t** data, size_t* len) {
  bool is_ta = false;
  napi_typedarray_type type = napi_int8_array;
  void* p = NULL;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok) return false;
  if (is_ta && napi_get_typedarray_info(env, v, &type, len, &p, NULL, NULL) != napi_ok) return false;
  if (!is_ta || type != napi_uint8_array) {
    char msg[96];
    snprintf(msg, sizeof msg, "%s must be a Uint8Array", name);
    throw_type(env, msg);
    return false;
  }
  static const uint8_t empty[1] = {0};
  *data = p ? (const uint8_t*)p : empty;
  return true;
}

static bool get_family(napi_env env, napi_value v, int* af) {
  int32_t f;
  if (!get_int(env, v, "family", &f)) return false;
  if (f == 4) {
    *af = AF_INET;
  } else if (f == 6) {
    *af = AF_INET6;
  } else {
    throw_value(env, "ERR_INVALID_ARG_VALUE", "family must be 4 or 6");
    return false;
  }
  return true;
}

/* Text address -> sockaddr (port 0). ifindex becomes the IPv6 scope id. */
static bool get_sockaddr(napi_env env, int af, napi_value v, uint32_t ifindex, struct sockaddr_storage* ss,
                         socklen_t* len) {
  char text[256];
  if (!get_str(env, v, "address", text, sizeof text)) return false;
  memset(ss, 0, sizeof *ss);
  int ok;
  if (af == AF_INET) {
    struct sockaddr_in* sin = (struct sockaddr_in*)ss;
    sin->sin_family = AF_INET;
    ok = inet_pton(AF_INET, text, &sin->sin_addr);
    *len = sizeof *sin;
  } else {
    struct sockaddr_in6* sin6 = (struct sockaddr_in6*)ss;
    sin6->sin6_family = AF_INET6;
    sin6->sin6_scope_id = ifindex;
    ok = inet_pton(AF_INET6, text, &sin6->sin6_addr);
    *len = sizeof *sin6;
  }
  if (ok != 1) {
    char msg[300];
    snprintf(msg, sizeof msg, "Invalid IPv%d address: %s", af == AF_INET ? 4 : 6, text);
    napi_throw_type_error(env, "ERR_INVALID_IP_ADDRESS", msg);
    return false;
  }
  return true;
}

static bool get_ifindex(napi_env env, napi_value v, uint32_t* out) {
  int32_t n;
  if (!get_int(env, v, "ifindex", &n)) return false;
  if (n < 0) {
    throw_value(env, "ERR_OUT_OF_RANGE", "ifindex must be >= 0");
    return false;
  }
  *out = (uint32_t)n;
  return true;
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static napi_value int_value(napi_env env, int64_t n) {
  napi_value v;
  napi_create_int64(env, n, &v);
  return v;
}

/* ---------- sockets ---------------------------------------------------- */

/* open(family: 4 | 6 | 'packet', protocol: number): number */
static napi_value k_open(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  napi_valuetype t;
  int32_t proto;
  int domain, type, sproto;
  if (!get_args(env, info, 2, argv) || napi_typeof(env, argv[0], &t) != napi_ok) return NULL;
  if (!get_int(env, argv[1], "protocol", &proto)) return NULL;
  if (t == napi_string) {
    char fam[8];
    if (!get_str(env, argv[0], "family", fam, sizeof fam)) return NULL;
    if (strcmp(fam, "packet") != 0) return throw_value(env, "ERR_INVALID_ARG_VALUE", "family must be 4, 6 or 'packet'");
    if (proto < 0 || proto > 0xffff) return throw_value(env, "ERR_OUT_OF_RANGE", "ethertype must be 0..65535");
    domain = AF_PACKET;
    type = SOCK_DGRAM;
    sproto = htons((uint16_t)proto);
  } else {
    if (!get_family(env, argv[0], &domain)) return NULL;
    if (proto < 0 || proto > 255) return throw_value(env, "ERR_OUT_OF_RANGE", "protocol must be 0..255");
    type = SOCK_RAW;
    sproto = proto;
  }
  int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, sproto);
  if (fd < 0) return throw_sys(env, errno, "socket", NULL);
  return int_value(env, fd);
}

/* close(fd): void. Linux releases the fd even when close() reports EINTR. */
static napi_value k_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (close(fd) < 0 && errno != EINTR) return throw_sys(env, errno, "close", NULL);
  return undefined(env);
}

/* setIntOption(fd, level, name, value): void */
static napi_value k_set_int_option(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int fd;
  int32_t level, name, value;
  if (!get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_int(env, argv[1], "level", &level) ||
      !get_int(env, argv[2], "name", &name) || !get_int(env, argv[3], "value", &value)) {
    return NULL;
  }
  int v = value;
  if (setsockopt(fd, level, name, &v, sizeof v) < 0) {
    char detail[48];
    snprintf(detail, sizeof detail, "(level %d, name %d)", level, name);
    return throw_sys(env, errno, "setsockopt", detail);
  }
  return undefined(env);
}

/* bindToDevice(fd, ifname): void. An empty name removes the binding. */
static napi_value k_bind_to_device(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int fd;
  char name[IF_NAMESIZE];
  if (!get_args(env, info, 2, argv) || !get_fd(env, argv[0], &fd) || !get_str(env, argv[1], "ifname", name, sizeof name)) {
    return NULL;
  }
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, (socklen_t)strlen(name)) < 0) {
    char detail[IF_NAMESIZE + 24];
    snprintf(detail, sizeof detail, "SO_BINDTODEVICE '%s'", name);
    return throw_sys(env, errno, "setsockopt", detail);
  }
  return undefined(env);
}

/* bind(fd, family, address, ifindex): void (port 0; ifindex = IPv6 scope id) */
static napi_value k_bind(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int fd, af;
  uint32_t ifindex;
  struct sockaddr_storage ss;
  socklen_t len;
  if (!get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_family(env, argv[1], &af) ||
      !get_ifindex(env, argv[3], &ifindex) || !get_sockaddr(env, af, argv[2], ifindex, &ss, &len)) {
    return NULL;
  }
  if (bind(fd, (struct sockaddr*)&ss, len) < 0) return throw_sys(env, errno, "bind", NULL);
  return undefined(env);
}

/* setMulticastInterface(fd, family, ifindex): void */
static napi_value k_set_multicast_interface(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int fd, af, r;
  uint32_t ifindex;
  if (!get_args(env, info, 3, argv) || !get_fd(env, argv[0], &fd) || !get_family(env, argv[1], &af) ||
      !get_ifindex(env, argv[2], &ifindex)) {
    return NULL;
  }
  if (af == AF_INET) {
    struct ip_mreqn mr;
    memset(&mr, 0, sizeof mr);
    mr.imr_ifindex = (int)ifindex;
    r = setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof mr);
  } else {
    int idx = (int)ifindex;
    r = setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof idx);
  }
  if (r < 0) return throw_sys(env, errno, "setsockopt", af == AF_INET ? "IP_MULTICAST_IF" : "IPV6_MULTICAST_IF");
  return undefined(env);
}

static napi_value membership(napi_env env, napi_callback_info info, bool join) {
  napi_value argv[4];
  int fd, af, r;
  uint32_t ifindex;
  struct sockaddr_storage ss;
  socklen_t len;
  if (!get_args(env, info, 4, argv) || !get_fd(env, argv[0], &fd) || !get_family(env, argv[1], &af) ||
      !get_ifindex(env, argv[3], &ifindex) || !get_sockaddr(env, af, argv[2], 0, &ss, &len)) {
    return NULL;
  }
  const char* opt;
  if (af == AF_INET) {
    struct ip_mreqn mr;
    memset(&mr, 0, sizeof mr);
    mr.imr_multiaddr = ((struct sockaddr_in*)&ss)->sin_addr;
    mr.imr_ifindex = (int)ifindex;
    opt = join ? "IP_ADD_MEMBERSHIP" : "IP_DROP_MEMBERSHIP";
    r = setsockopt(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mr, sizeof mr);
  } else {
    struct ipv6_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.ipv6mr_multiaddr = ((struct sockaddr_in6*)&ss)->sin6_addr;
    mr.ipv6mr_interface = ifindex;
    opt = join ? "IPV6_JOIN_GROUP" : "IPV6_LEAVE_GROUP";
    r = setsockopt(fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &mr, sizeof mr);
  }
  if (r < 0) return throw_sys(env, errno, "setsockopt", opt);
  return undefined(env);
}

/* joinGroup(fd, family, group, ifindex): void */
static napi_value k_join_group(napi_env env, napi_callback_info info) { return membership(env, info, true); }

/* leaveGroup(fd, family, group, ifindex): void */
static napi_value k_leave_group(napi_env env, napi_callback_info info) { return membership(env, info, false); }

/*
 * send(fd, family, data, dst, ifindex, flags): number
 * ifindex > 0 pins the outgoing interface: IPv6 scope id plus, for both
 * families, an IP(V6)_PKTINFO control message. flags & 1 = MSG_DONTROUTE.
 */
static napi_value k_send(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  int fd, af;
  uint32_t ifindex;
  int32_t flags;
  const uint8_t* data;
  size_t len;
  struct sockaddr_storage ss;
  socklen_t slen;
  if (!get_args(env, info, 6, argv) || !get_fd(env, argv[0], &fd) || !get_family(env, argv[1], &af) ||
      !get_bytes(env, argv[2], "data", &data, &len) || !get_ifindex(env, argv[4], &ifindex) ||
      !get_int(env, argv[5], "flags", &flags) || !get_sockaddr(env, af, argv[3], ifindex, &ss, &slen)) {
    return NULL;
  }
  union {
    char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
    struct cmsghdr align;
  } ctl;
  struct iovec iov = {.iov_base = (void*)data, .iov_len = len};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  memset(&ctl, 0, sizeof ctl);
  msg.msg_name = &ss;
  msg.msg_namelen = slen;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (ifindex > 0) {
    struct cmsghdr* cm = (struct cmsghdr*)ctl.buf;
    if (af == AF_INET) {
      struct in_pktinfo pi;
      memset(&pi, 0, sizeof pi);
      pi.ipi_ifindex = (int)ifindex;
      cm->cmsg_level = IPPROTO_IP;
      cm->cmsg_type = IP_PKTINFO;
      cm->cmsg_len = CMSG_LEN(sizeof pi);
      memcpy(CMSG_DATA(cm), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    } else {
      struct in6_pktinfo pi;
      memset(&pi, 0, sizeof pi);
      pi.ipi6_ifindex = ifindex;
      cm->cmsg_level = IPPROTO_IPV6;
      cm->cmsg_type = IPV6_PKTINFO;
      cm->cmsg_len = CMSG_LEN(sizeof pi);
      memcpy(CMSG_DATA(cm), &pi, sizeof pi);
      msg.msg_controllen = CMSG_SPACE(sizeof pi);
    }
    msg.msg_control = ctl.buf;
  }
  int sflags = MSG_DONTWAIT | MSG_NOSIGNAL | ((flags & KA_SEND_DONTROUTE) ? MSG_DONTROUTE : 0);
  ssize_t n;
  do {
    n = sendmsg(fd, &msg, sflags);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return throw_sys(env, errno, "sendmsg", NULL);
  return int_value(env, n);
}

/* sendPacket(fd, ifindex, dstMac, ethertype, frame): number (AF_PACKET, SOCK_DGRAM) */
static napi_value k_send_packet(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int fd;
  uint32_t ifindex;
  int32_t ethertype;
  const uint8_t *mac, *frame;
  size_t mac_len, frame_len;
  if (!get_args(env, info, 5, argv) || !get_fd(env, argv[0], &fd) || !get_ifindex(env, argv[1], &ifindex) ||
      !get_bytes(env, argv[2], "dstMac", &mac, &mac_len) || !get_int(env, argv[3], "ethertype", &ethertype) ||
      !get_bytes(env, argv[4], "frame", &frame, &frame_len)) {
    return NULL;
  }
  if (mac_len != 6) return throw_value(env, "ERR_INVALID_ARG_VALUE", "dstMac must be 6 bytes");
  if (ethertype < 0 || ethertype > 0xffff) return throw_value(env, "ERR_OUT_OF_RANGE", "ethertype must be 0..65535");
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons((uint16_t)ethertype);
  sll.sll_ifindex = (int)ifindex;
  sll.sll_halen = 6;
  memcpy(sll.sll_addr, mac, 6);
  ssize_t n;
  do {
    n = sendto(fd, frame, frame_len, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr*)&sll, sizeof sll);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return throw_sys(env, errno, "sendto", NULL);
  return int_value(env, n);
}

static void set_str(napi_env env, napi_value obj, const char* key, const char* s) {
  napi_value v;
  if (napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) == napi_ok) napi_set_named_property(env, obj, key, v);
}

static void set_int(napi_env env, napi_value obj, const char* key, int64_t n) {
  napi_set_named_property(env, obj, key, int_value(env, n));
}

/*
 * recv(fd): undefined when nothing is queued, else
 * { data, src, ifindex, dst?, hopLimit?, packetType? }.
 * IPv4: IP_PKTINFO gives ifindex/dst, IP_TTL (IP_RECVTTL) gives hopLimit.
 * IPv6: IPV6_PKTINFO gives ifindex/dst, IPV6_HOPLIMIT gives hopLimit.
 * AF_PACKET: src is the sender's MAC, ifindex and packetType from sockaddr_ll.
 */
static napi_value k_recv(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int fd;
  ka_instance* inst = NULL;
  if (!get_args(env, info, 1, argv) || !get_fd(env, argv[0], &fd)) return NULL;
  if (napi_get_instance_data(env, (void**)&inst) != napi_ok || inst == NULL) {
    napi_throw_error(env, "ERR_INTERNAL", "ka_net: instance data missing");
    return NULL;
  }
  struct sockaddr_storage from;
  union {
    char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in_pktinfo)) +
             128];
    struct cmsghdr align;
  } ctl;
  struct iovec iov = {.iov_base = inst->buf, .iov_len = sizeof inst->buf};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  memset(&from, 0, sizeof from);
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctl.buf;
  msg.msg_controllen = sizeof ctl.buf;
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_DONTWAIT);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return undefined(env);
    return throw_sys(env, errno, "recvmsg", NULL);
  }
  size_t got = (size_t)n < sizeof inst->buf ? (size_t)n : sizeof inst->buf;

  napi_value obj, data;
  void* copy;
  if (napi_create_object(env, &obj) != napi_ok || napi_create_buffer_copy(env, got, inst->buf, &copy, &data) != napi_ok) {
    return NULL;
  }
  napi_set_named_property(env, obj, "data", data);

  char text[INET6_ADDRSTRLEN];
  int ifindex = 0;
  if (from.ss_family == AF_INET) {
    inet_ntop(AF_INET, &((struct sockaddr_in*)&from)->sin_addr, text, sizeof text);
    set_str(env, obj, "src", text);
  } else if (from.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &((struct sockaddr_in6*)&from)->sin6_addr, text, sizeof text);
    set_str(env, obj, "src", text);
  } else if (from.ss_family == AF_PACKET) {
    struct sockaddr_ll* sll = (struct sockaddr_ll*)&from;
    char mac[3 * 8] = "";
    size_t hl = sll->sll_halen <= 8 ? sll->sll_halen : 8;
    for (size_t i = 0, o = 0; i < hl; i++) {
      o += (size_t)snprintf(mac + o, sizeof mac - o, i ? ":%02x" : "%02x", sll->sll_addr[i]);
    }
    set_str(env, obj, "src", mac);
    ifindex = sll->sll_ifindex;
    set_int(env, obj, "packetType", sll->sll_pkttype);
  } else {
    set_str(env, obj, "src", "");
  }

  for (struct cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm != NULL; cm = CMSG_NXTHDR(&msg, cm)) {
    if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
      struct in_pktinfo pi;
      memcpy(&pi, CMSG_DATA(cm), sizeof pi);
      ifindex = pi.ipi_ifindex;
      inet_ntop(AF_INET, &pi.ipi_addr, text, sizeof text);
      set_str(env, obj, "dst", text);
    } else if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) {
      int ttl;
      memcpy(&ttl, CMSG_DATA(cm), sizeof ttl);
      set_int(env, obj, "hopLimit", ttl);
    } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
      struct in6_pktinfo pi;
      memcpy(&pi, CMSG_DATA(cm), sizeof pi);
      ifindex = (int)pi.ipi6_ifindex;
      inet_ntop(AF_INET6, &pi.ipi6_addr, text, sizeof text);
      set_str(env, obj, "dst", text);
    } else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT) {
      int hops;
      memcpy(&hops, CMSG_DATA(cm), sizeof hops);
      set_int(env, obj, "hopLimit", hops);
    }
  }
  set_int(env, obj, "ifindex", ifindex);
  return obj;
}

/* ifIndex(name): number, 0 when there is no such interface */
static napi_value k_if_index(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[IF_NAMESIZE];
  if (!get_args(env, info, 1, argv) || !get_str(env, argv[0], "name", name, sizeof name)) return NULL;
  return int_value(env, if_nametoindex(name));
}

/* ---------- readability polling ------------------------------------------
 * A ka_poll is freed only once both its uv handle is closed (on_close) and its
 * JS handle (an external) is finalized, so stopPoll() on a stale handle is
 * always safe. An async cleanup hook closes handles left open at env teardown
 * (worker exit), and keeps the env alive until on_close has run.
 */
typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref cb;
  napi_async_context ctx;
  napi_async_cleanup_hook_handle hook;
  bool closing; /* stop requested: never call back again */
  bool closed;  /* on_close ran */
  bool js_gone; /* external finalized (or never created) */
} ka_poll;

static void on_close(uv_handle_t* h) {
  ka_poll* p = (ka_poll*)h->data;
  napi_env env = p->env;
  napi_handle_scope scope;
  bool scoped = napi_open_handle_scope(env, &scope) == napi_ok;
  if (p->cb != NULL) napi_delete_reference(env, p->cb);
  if (p->ctx != NULL) napi_async_destroy(env, p->ctx);
  if (scoped) napi_close_handle_scope(env, scope);
  p->cb = NULL;
  p->ctx = NULL;
  if (p->hook != NULL) napi_remove_async_cleanup_hook(p->hook);
  p->hook = NULL;
  p->closed = true;
  if (p->js_gone) free(p);
}

static void begin_close(ka_poll* p) {
  if (p->closing) return;
  p->closing = true;
  uv_poll_stop(&p->handle);
  uv_close((uv_handle_t*)&p->handle, on_close);
}

static void on_env_teardown(napi_async_cleanup_hook_handle h, void* arg) {
  ka_poll* p = (ka_poll*)arg;
  p->hook = h; /* the same handle napi_add_async_cleanup_hook returned */
  begin_close(p);
}

static void poll_finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  ka_poll* p = (ka_poll*)data;
  p->js_gone = true;
  if (p->closed) free(p);
}

static void on_poll(uv_poll_t* h, int status, int events) {
  (void)events;
  ka_poll* p = (ka_poll*)h->data;
  if (p->closing) return;
  napi_env env = p->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value cb, recv, result, argv[1];
  size_t argc = 0;
  if (napi_get_reference_value(env, p->cb, &cb) == napi_ok && cb != NULL && napi_get_global(env, &recv) == napi_ok) {
    if (status < 0) {
      /* libuv has stopped the handle (POLLERR); report it as callback(err). */
      throw_sys(env, status, "uv_poll", NULL);
      napi_get_and_clear_last_exception(env, &argv[0]);
      argc = 1;
    }
    napi_status st = napi_make_callback(env, p->ctx, recv, cb, argc, argv, &result);
    if (st == napi_pending_exception) {
      napi_value exc;
      if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) napi_fatal_exception(env, exc);
    }
  }
  napi_close_handle_scope(env, scope);
}

/* poll(fd, callback): handle. Calls callback() whenever fd is readable. */
static napi_value k_poll(napi_env env, napi_callback_info info) {
  napi_value argv[2], name, ext;
  napi_valuetype t;
  int fd;
  uv_loop_t* loop;
  if (!get_args(env, info, 2, argv) || !get_fd(env, argv[0], &fd) || napi_typeof(env, argv[1], &t) != napi_ok) return NULL;
  if (t != napi_function) return throw_type(env, "callback must be a function");
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return NULL;
  ka_poll* p = (ka_poll*)calloc(1, sizeof *p);
  if (p == NULL) return throw_sys(env, ENOMEM, "calloc", NULL);
  p->env = env;
  int r = uv_poll_init(loop, &p->handle, fd);
  if (r < 0) {
    free(p);
    return throw_sys(env, r, "uv_poll_init", NULL);
  }
  p->handle.data = p;
  if (napi_create_reference(env, argv[1], 1, &p->cb) != napi_ok ||
      napi_create_string_utf8(env, "ka_net.poll", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_async_init(env, NULL, name, &p->ctx) != napi_ok) {
    p->js_gone = true;
    begin_close(p);
    return NULL;
  }
  r = uv_poll_start(&p->handle, UV_READABLE, on_poll);
  if (r < 0) {
    p->js_gone = true;
    begin_close(p);
    return throw_sys(env, r, "uv_poll_start", NULL);
  }
  if (napi_add_async_cleanup_hook(env, on_env_teardown, p, &p->hook) != napi_ok ||
      napi_create_external(env, p, poll_finalize, NULL, &ext) != napi_ok) {
    p->js_gone = true;
    begin_close(p);
    return NULL;
  }
  return ext;
}

/* stopPoll(handle): void. Idempotent; the callback never runs afterwards. */
static napi_value k_stop_poll(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  napi_valuetype t;
  void* p = NULL;
  if (!get_args(env, info, 1, argv) || napi_typeof(env, argv[0], &t) != napi_ok) return NULL;
  if (t != napi_external) return throw_type(env, "handle must come from poll()");
  if (napi_get_value_external(env, argv[0], &p) != napi_ok) return NULL;
  begin_close((ka_poll*)p);
  return undefined(env);
}

/* ---------- module ------------------------------------------------------ */

static void instance_finalize(napi_env env, void* data, void* hint) {
  (void)env;
  (void)hint;
  free(data);
}

#define KA_CONST(name) {#name, name}

static const struct {
  const char* name;
  int value;
} ka_constants[] = {
    KA_CONST(SOL_SOCKET),          KA_CONST(SO_RCVBUF),           KA_CONST(SO_SNDBUF),
    KA_CONST(SO_PRIORITY),         KA_CONST(IPPROTO_IP),          KA_CONST(IPPROTO_IPV6),
    KA_CONST(IPPROTO_RAW),         KA_CONST(IPPROTO_ICMPV6),      KA_CONST(IP_HDRINCL),
    KA_CONST(IP_TTL),              KA_CONST(IP_TOS),              KA_CONST(IP_PKTINFO),
    KA_CONST(IP_RECVTTL),          KA_CONST(IP_MULTICAST_TTL),    KA_CONST(IP_MULTICAST_LOOP),
    KA_CONST(IP_MULTICAST_ALL),    KA_CONST(IPV6_CHECKSUM),       KA_CONST(IPV6_UNICAST_HOPS),
    KA_CONST(IPV6_MULTICAST_HOPS), KA_CONST(IPV6_MULTICAST_LOOP), KA_CONST(IPV6_MULTICAST_ALL),
    KA_CONST(IPV6_RECVPKTINFO),    KA_CONST(IPV6_RECVHOPLIMIT),   KA_CONST(IPV6_V6ONLY),
};

NAPI_MODULE_INIT() {
  static const struct {
    const char* name;
    napi_callback fn;
  } fns[] = {
      {"open", k_open},
      {"close", k_close},
      {"setIntOption", k_set_int_option},
      {"bindToDevice", k_bind_to_device},
      {"bind", k_bind},
      {"setMulticastInterface", k_set_multicast_interface},
      {"joinGroup", k_join_group},
      {"leaveGroup", k_leave_group},
      {"send", k_send},
      {"sendPacket", k_send_packet},
      {"recv", k_recv},
      {"poll", k_poll},
      {"stopPoll", k_stop_poll},
      {"ifIndex", k_if_index},
  };
  ka_instance* inst = (ka_instance*)malloc(sizeof *inst);
  if (inst == NULL || napi_set_instance_data(env, inst, instance_finalize, NULL) != napi_ok) {
    free(inst);
    napi_throw_error(env, "ERR_INTERNAL", "ka_net: cannot allocate instance data");
    return NULL;
  }
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    if (napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f) != napi_ok ||
        napi_set_named_property(env, exports, fns[i].name, f) != napi_ok) {
      return NULL;
    }
  }
  napi_value constants;
  if (napi_create_object(env, &constants) != napi_ok) return NULL;
  for (size_t i = 0; i < sizeof ka_constants / sizeof ka_constants[0]; i++) {
    set_int(env, constants, ka_constants[i].name, ka_constants[i].value);
  }
  set_int(env, constants, "SEND_DONTROUTE", KA_SEND_DONTROUTE);
  napi_object_freeze(env, constants);
  napi_set_named_property(env, exports, "constants", constants);
  return exports;
}
