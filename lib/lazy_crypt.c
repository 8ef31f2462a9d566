/* libcrypt (libxcrypt), loaded on first use (lib/lazy.h): the bcrypt checks
 * of metrics' basic auth (export/http_auth.c). Without the library crypt_r
 * returns NULL, which the caller takes as "does not match". The first call
 * is http_auth_hash_usable() while the configuration is read, before any
 * server thread runs one. */
#include "lib/lazy.h"
#include <crypt.h>
#include <stddef.h>

LAZY_FN(lazy_crypt, char *, crypt_r, (const char *phrase, const char *setting, struct crypt_data *data),
	(phrase, setting, data), NULL)
