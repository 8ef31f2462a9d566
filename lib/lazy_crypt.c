/* libcrypt (libxcrypt), loaded on first use (lib/lazy.h): the bcrypt checks
 * of metrics' basic auth (export/http_auth.c). Without the library
 * vfs_crypt_r returns NULL, which the caller takes as "does not match". The
 * first call is http_auth_hash_usable() while the configuration is read,
 * before any server thread runs one.
 *
 * Its own name, not a crypt_r forwarder like the other libraries' functions:
 * the sanitizers' runtime defines crypt_r (an interceptor that calls the
 * crypt_r it found at start), so in a SAN or fuzz build a call to crypt_r
 * bound to the interceptor, which had found none and jumped to address 0. */
#include "lib/lazy.h"
#include <crypt.h>
#include <stddef.h>

char *vfs_crypt_r(const char *phrase, const char *setting, struct crypt_data *data)
{
	static __typeof__(crypt_r) *fp;
	if (!fp && !(fp = (__typeof__(crypt_r) *)lazy_sym(&lazy_crypt, "crypt_r")))
		return NULL;
	return fp(phrase, setting, data);
}
