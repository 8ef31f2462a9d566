/* export/redact.c: what is a MAC/IP/host name and what is not, and the
 * same original always gives the same token. */
#include "t.h"
#include "export/redact.h"

static char *red(struct redact *r, const char *in)
{
	size_t n;
	return redact_text(r, in, strlen(in), &n);
}

static void test_mac(void)
{
	struct redact *r = redact_new();
	redact_reserve(r, "02:00:5e:fe:00:02");
	char *a = red(r, "address 52:54:00:12:34:56 and 52-54-00-12-34-56, AA:BB:CC:DD:EE:FF");
	CHECK_STR(a, "address 02:00:5e:fe:00:01 and 02:00:5e:fe:00:01, 02:00:5e:fe:00:03");
	char *b = red(r, "52:54:00:12:34:56\n00:00:00:00:00:00 ff:ff:ff:ff:ff:ff");
	CHECK_STR(b, "02:00:5e:fe:00:01\n00:00:00:00:00:00 ff:ff:ff:ff:ff:ff");
	/* not MACs: PCI addresses, longer hex runs, times */
	char *c = red(r, "0000:01:10.0 00:11:22:33:44:55:66 12:34:56 phys 0011223344");
	CHECK_STR(c, "0000:01:10.0 00:11:22:33:44:55:66 12:34:56 phys 0011223344");
	size_t m, i, h;
	redact_counts(r, &m, &i, &h);
	CHECK_INT(m, 2);
	free(a); free(b); free(c);
	redact_free(r);
}

static void test_ip(void)
{
	struct redact *r = redact_new();
	char *a = red(r, "to 192.0.2.1, from 192.0.2.1. arp_ip_target 10.0.0.1,10.0.0.2");
	CHECK_STR(a, "to 198.18.0.1, from 198.18.0.1. arp_ip_target 198.18.0.2,198.18.0.3");
	char *b = red(r, "0.0.0.0 127.0.0.1 255.255.255.255 1.2.3 999.1.1.1 6.12.95+deb12");
	CHECK_STR(b, "0.0.0.0 127.0.0.1 255.255.255.255 1.2.3 999.1.1.1 6.12.95+deb12");
	char *c = red(r, "fe80::1 2001:db8:0:0:0:0:0:7 ::1 :: a::b.c");
	CHECK_STR(c, "2001:db8:ffff::1 2001:db8:ffff::2 ::1 :: a::b.c");
	free(a); free(b); free(c);
	redact_free(r);
}

static void test_host(void)
{
	struct redact *r = redact_new();
	redact_add_host(r, "web01");
	redact_add_host(r, "x"); /* too short: ignored */
	char *a = red(r, "web01 web01.example.com web012 myweb01 Web01 x");
	CHECK_STR(a, "host-1 host-1.example.com web012 myweb01 host-1 x");
	free(a);
	redact_free(r);
}

T_MAIN(T(test_mac), T(test_ip), T(test_host))
