/* The plain test runner: include once per test program, write static
 * functions named test_*, list them in T_MAIN(...). Each CHECK counts;
 * the program prints 'name: N passed, N failed' and exits 1 on failure. */
#ifndef VFS_T_H
#define VFS_T_H
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int t_pass, t_fail;
static const char *t_cur;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (cond) {                                                      \
			t_pass++;                                                \
		} else {                                                         \
			t_fail++;                                                \
			fprintf(stderr, "FAIL %s:%d %s: %s\n", __FILE__, __LINE__, \
				t_cur, #cond);                                   \
		}                                                                \
	} while (0)
#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *_a = (a), *_b = (b);                                 \
		if (_a && _b && !strcmp(_a, _b)) {                               \
			t_pass++;                                                \
		} else {                                                         \
			t_fail++;                                                \
			fprintf(stderr, "FAIL %s:%d %s: %s == \"%s\" (got \"%s\")\n", \
				__FILE__, __LINE__, t_cur, #a, _b ? _b : "(null)", \
				_a ? _a : "(null)");                             \
		}                                                                \
	} while (0)
#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long _a = (long long)(a), _b = (long long)(b);              \
		if (_a == _b) {                                                  \
			t_pass++;                                                \
		} else {                                                         \
			t_fail++;                                                \
			fprintf(stderr, "FAIL %s:%d %s: %s == %lld (got %lld)\n", \
				__FILE__, __LINE__, t_cur, #a, _b, _a);          \
		}                                                                \
	} while (0)

typedef void (*t_fn)(void);
struct t_case { const char *name; t_fn fn; };
#define T(fn) { #fn, fn }
#define T_MAIN(...)                                                              \
	int main(int argc, char **argv)                                          \
	{                                                                        \
		struct t_case cases[] = { __VA_ARGS__ };                         \
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {  \
			if (argc > 1 && strcmp(argv[1], cases[i].name))          \
				continue;                                        \
			t_cur = cases[i].name;                                   \
			cases[i].fn();                                           \
		}                                                                \
		printf("%s: %d passed, %d failed\n", argv[0], t_pass, t_fail);  \
		return t_fail ? 1 : 0;                                           \
	}
#endif
