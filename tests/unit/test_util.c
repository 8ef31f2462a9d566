#include "tests/unit/t.h"
#include "lib/util.h"
#include <errno.h>

static void test_sanitize(void)
{
	char out[64];
	CHECK_STR(vfs_sanitize(out, sizeof(out), "eth0"), "eth0");
	/* OSC title change and clear screen become inert. */
	CHECK_STR(vfs_sanitize(out, sizeof(out), "\x1b]0;pwned\x07\x1b[2J"), "?]0;pwned??[2J");
	CHECK_STR(vfs_sanitize(out, sizeof(out), "caf\xc3\xa9"), "caf\xc3\xa9");   /* valid UTF-8 kept */
	CHECK_STR(vfs_sanitize(out, sizeof(out), "a\xc2\x9b" "b"), "a?" "?b");     /* C1 CSI rejected */
	CHECK_STR(vfs_sanitize(out, sizeof(out), "x\xc0\xafy"), "x??y");           /* overlong */
	CHECK_STR(vfs_sanitize(out, 4, "abcdef"), "abc");
	CHECK(!vfs_is_sane("a\tb"));
	CHECK(vfs_is_sane("bond0.100"));
}

static void test_mac(void)
{
	uint8_t m[6];
	char s[18];
	CHECK_INT(vfs_mac_parse("02:00:00:00:00:A0", m), 0);
	vfs_mac_format(m, s);
	CHECK_STR(s, "02:00:00:00:00:a0");
	CHECK_INT(vfs_mac_parse("02:00:00:00:00", m), -EINVAL);
	CHECK_INT(vfs_mac_parse("02:00:00:00:00:a0:ff", m), -EINVAL);
	CHECK(vfs_mac_eq("02:00:00:00:00:A0", "02:00:00:00:00:a0"));
	CHECK(!vfs_mac_eq(NULL, "x"));
}

static void test_parse_int(void)
{
	int64_t v;
	CHECK_INT(vfs_parse_i64("100\n", 10, &v), 0);
	CHECK_INT(v, 100);
	CHECK_INT(vfs_parse_i64("0x8086", 16, &v), 0);
	CHECK_INT(v, 0x8086);
	CHECK_INT(vfs_parse_i64("12abc", 10, &v), -EINVAL);
	CHECK_INT(vfs_parse_i64("", 10, &v), -EINVAL);
	CHECK_INT(vfs_parse_i64("99999999999999999999999", 10, &v), -ERANGE);
}

/* The line walk the text readers share: every line once, an empty line
 * kept, a cut last line given, a NUL inside a line turned into a space. */
static void test_lines(void)
{
	static const char t[] = "a\n\nb\0c\nlast";
	size_t pos = 0, ll, n = 0;
	const char *l;
	char buf[4];
	const char *want[] = { "a", "", "b c", "las" };
	while (vfs_next_line(t, sizeof(t) - 1, &pos, &l, &ll) && n < 8) {
		vfs_line_copy(buf, sizeof(buf), l, ll);
		CHECK(n < 4 && !strcmp(buf, want[n]));
		n++;
	}
	CHECK(n == 4);
	CHECK(!vfs_next_line(NULL, 5, &pos, &l, &ll));
	CHECK(vfs_line_copy(buf, 0, "x", 1) == 0);
}

T_MAIN(T(test_sanitize), T(test_mac), T(test_parse_int), T(test_lines))
