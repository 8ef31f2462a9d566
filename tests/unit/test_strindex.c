/* lib/strindex: the index machine_link looks netdevs up through gives what
 * a scan gives (the first of a name, or the last when replace is asked),
 * with thousands of keys, colliding probes and a table filled past what
 * init was told. */
#include "t.h"
#include "lib/strindex.h"

static void test_first_and_last(void)
{
	struct strindex x;
	strindex_init(&x, 4);
	CHECK(strindex_ok(&x));
	strindex_put(&x, "eth0", 0, false);
	strindex_put(&x, "eth0", 1, false); /* a second netdev of that name: the first stays */
	strindex_put(&x, "0000:01:00.0", 2, true);
	strindex_put(&x, "0000:01:00.0", 3, true); /* replace: the last wins */
	strindex_put(&x, NULL, 4, true);
	CHECK_INT(strindex_get(&x, "eth0"), 0);
	CHECK_INT(strindex_get(&x, "0000:01:00.0"), 3);
	CHECK_INT(strindex_get(&x, "eth1"), -1);
	CHECK_INT(strindex_get(&x, ""), -1);
	CHECK_INT(strindex_get(&x, NULL), -1);
	strindex_free(&x);
	CHECK_INT(strindex_get(&x, "eth0"), -1); /* freed: empty, not a crash */
}

static void test_many(void)
{
	enum { N = 20000 };
	static char names[N][16];
	struct strindex x;
	strindex_init(&x, N);
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "eth%d", i);
		strindex_put(&x, names[i], i, false);
	}
	int bad = 0;
	for (int i = 0; i < N; i++)
		bad += strindex_get(&x, names[i]) != i;
	CHECK_INT(bad, 0);
	CHECK_INT(strindex_get(&x, "eth20000"), -1);
	strindex_free(&x);
}

static void test_overfull(void)
{
	/* told 1 key (16 slots), given 40: the first 16 are kept and found,
	 * the rest are dropped, lookups of anything end */
	static char names[40][8];
	struct strindex x;
	strindex_init(&x, 1);
	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d", i);
		strindex_put(&x, names[i], i, false);
	}
	int found = 0, wrong = 0;
	for (int i = 0; i < 40; i++) {
		int v = strindex_get(&x, names[i]);
		found += v >= 0;
		wrong += v >= 0 && v != i;
	}
	CHECK_INT(found, 16);
	CHECK_INT(wrong, 0);
	CHECK_INT(strindex_get(&x, "absent"), -1);
	strindex_free(&x);
}

T_MAIN(T(test_first_and_last), T(test_many), T(test_overfull))
