/* The exporter-toolkit web configuration file (export/webconfig.h): a
 * strict line parser for the block-style subset, then the checks the
 * toolkit makes (a certificate needs its key, a client CA needs a client
 * auth type that uses it, and back), then the files read. */
#include "export/webconfig.h"
#include "lib/util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 4096
#define MAX_PEM (1u << 20)

static int bad(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	char m[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof(m), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, errlen, "line %u: %s", line, m);
	else
		snprintf(err, errlen, "%s", m);
	return -EINVAL;
}

/* A scalar starting at s (trimmed on the left), to the end of the line:
 * plain, 'single' or "double" quoted; then only a comment. The value is
 * written to out (NUL-terminated). 0 or -1 with why. */
static int scalar(const char *s, char *out, size_t outlen, const char **why)
{
	size_t o = 0;
	if (*s == '\'' || *s == '"') {
		char q = *s++;
		for (;; s++) {
			if (!*s) {
				*why = "unterminated quoted value";
				return -1;
			}
			if (*s == q) {
				if (q == '\'' && s[1] == '\'') { /* '' is one ' */
					s++;
				} else {
					s++;
					break;
				}
			} else if (q == '"' && *s == '\\') {
				if (s[1] != '"' && s[1] != '\\') {
					*why = "escape other than \\\" or \\\\ in a double-quoted value";
					return -1;
				}
				s++;
			}
			if (o + 1 >= outlen) {
				*why = "value too long";
				return -1;
			}
			out[o++] = *s;
		}
		while (*s == ' ')
			s++;
		if (*s && *s != '#') {
			*why = "text after a quoted value";
			return -1;
		}
		out[o] = 0;
		return 0;
	}
	if (strchr("[]{}&*!|>%@`", *s) && *s) {
		*why = "flow style, anchors, aliases, tags and block scalars are not supported";
		return -1;
	}
	for (; *s; s++) {
		if (*s == '#' && o && out[o - 1] == ' ')
			break; /* a comment */
		if (o + 1 >= outlen) {
			*why = "value too long";
			return -1;
		}
		out[o++] = *s;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = 0;
	return 0;
}

/* "key: value" or "key:" -> key and value (value "" when none). */
static int key_value(const char *s, char *key, size_t keylen, char *val, size_t vallen, const char **why)
{
	const char *colon;
	if (*s == '\'' || *s == '"') {
		if (scalar(s, key, keylen, why) == 0) { /* whole line was one quoted scalar: no colon */
			*why = "want \"key: value\"";
			return -1;
		}
		/* find the closing quote, then the colon */
		char q = *s;
		const char *e = s + 1;
		while (*e && !(*e == q && !(q == '\'' && e[1] == '\'')))
			e += (q == '\'' && *e == '\'' && e[1] == '\'') || (q == '"' && *e == '\\' && e[1]) ? 2 : 1;
		if (*e != q || e[1] != ':') {
			*why = "want \"key: value\" after a quoted key";
			return -1;
		}
		char tmp[MAX_LINE];
		size_t kl = (size_t)(e + 1 - s);
		memcpy(tmp, s, kl);
		tmp[kl] = 0;
		if (scalar(tmp, key, keylen, why))
			return -1;
		colon = e + 1;
	} else {
		colon = strstr(s, ": ");
		if (!colon) {
			size_t l = strlen(s);
			colon = l && s[l - 1] == ':' ? s + l - 1 : NULL;
		}
		const char *hash = strstr(s, " #");
		if (!colon || (hash && hash < colon)) {
			*why = "want \"key: value\"";
			return -1;
		}
		size_t kl = (size_t)(colon - s);
		while (kl && s[kl - 1] == ' ')
			kl--;
		if (!kl || kl >= keylen) {
			*why = kl ? "key too long" : "empty key";
			return -1;
		}
		memcpy(key, s, kl);
		key[kl] = 0;
		for (size_t i = 0; i < kl; i++)
			if (strchr("[]{}&*!|>%@`\"'#,", key[i])) {
				*why = "unsupported character in a key (quote it)";
				return -1;
			}
	}
	const char *v = colon + 1;
	while (*v == ' ')
		v++;
	if (!*v || *v == '#') {
		*val = 0;
		return 0;
	}
	return scalar(v, val, vallen, why);
}

static const char *const auth_names[] = {
	[WC_NO_CLIENT_CERT] = "NoClientCert",
	[WC_REQUEST_CLIENT_CERT] = "RequestClientCert",
	[WC_REQUIRE_ANY_CLIENT_CERT] = "RequireAnyClientCert",
	[WC_VERIFY_CLIENT_CERT_IF_GIVEN] = "VerifyClientCertIfGiven",
	[WC_REQUIRE_AND_VERIFY_CLIENT_CERT] = "RequireAndVerifyClientCert",
};

const char *webconfig_client_auth_name(enum webconfig_client_auth a)
{
	return (unsigned)a < ARRAY_SIZE(auth_names) ? auth_names[a] : "?";
}

static bool bcrypt_hash(const char *h)
{
	if (strlen(h) != 60 || h[0] != '$' || h[1] != '2' || !strchr("aby", h[2]) || h[3] != '$' || h[6] != '$')
		return false;
	if (h[4] < '0' || h[4] > '3' || h[5] < '0' || h[5] > '9' || (h[4] == '3' && h[5] > '1') ||
	    (h[4] == '0' && h[5] < '4'))
		return false; /* cost 04..31 */
	for (int i = 7; i < 60; i++)
		if (!strchr("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", h[i]))
			return false;
	return true;
}

enum section { NONE, TLS, USERS };

static int tls_key(struct webconfig *wc, const char *k, const char *v, unsigned ln, char *err, size_t errlen)
{
	char **slot = !strcmp(k, "cert_file") ? &wc->cert_file : !strcmp(k, "key_file") ? &wc->key_file
						   : !strcmp(k, "client_ca_file") ? &wc->client_ca_file : NULL;
	if (slot) {
		if (*slot)
			return bad(err, errlen, ln, "%s given twice", k);
		if (!*v)
			return bad(err, errlen, ln, "%s is empty", k);
		*slot = vfs_xstrdup(v);
		return 0;
	}
	if (!strcmp(k, "client_auth_type")) {
		for (size_t i = 0; i < ARRAY_SIZE(auth_names); i++)
			if (!strcmp(v, auth_names[i])) {
				wc->client_auth = (enum webconfig_client_auth)i;
				return 0;
			}
		return bad(err, errlen, ln, "client_auth_type '%.64s' (want NoClientCert, RequestClientCert, "
				      "RequireAnyClientCert, VerifyClientCertIfGiven or RequireAndVerifyClientCert)", v);
	}
	if (!strcmp(k, "min_version")) {
		static const char *const vs[] = { "TLS10", "TLS11", "TLS12", "TLS13" };
		for (int i = 0; i < 4; i++)
			if (!strcmp(v, vs[i])) {
				wc->min_version = 10 + i;
				return 0;
			}
		return bad(err, errlen, ln, "min_version '%.64s' (want TLS10, TLS11, TLS12 or TLS13)", v);
	}
	if (!strcmp(k, "max_version") || !strcmp(k, "cipher_suites") || !strcmp(k, "curve_preferences") ||
	    !strcmp(k, "prefer_server_cipher_suites") || !strcmp(k, "client_allowed_sans") || !strcmp(k, "cert") ||
	    !strcmp(k, "key"))
		return bad(err, errlen, ln, "tls_server_config.%s is not supported by vfscope (docs/metrics.md)", k);
	return bad(err, errlen, ln, "unknown key tls_server_config.%.64s", k);
}

int webconfig_parse(const char *text, size_t len, struct webconfig *wc, char *err, size_t errlen)
{
	memset(wc, 0, sizeof(*wc));
	enum section sec = NONE;
	bool seen_tls = false, seen_users = false;
	int child_indent = -1;
	unsigned ln = 0;
	char line[MAX_LINE], key[MAX_LINE], val[MAX_LINE];
	const char *why = "";
	int r = 0;
	for (size_t off = 0; off < len && !r;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
		ln++;
		if (l >= sizeof(line)) {
			r = bad(err, errlen, ln, "line longer than %d bytes", MAX_LINE - 1);
			break;
		}
		memcpy(line, text + off, l);
		line[l] = 0;
		off += l + 1;
		if (l && line[l - 1] == '\r')
			line[--l] = 0;
		if (memchr(line, 0, l)) {
			r = bad(err, errlen, ln, "NUL byte");
			break;
		}
		int ind = 0;
		while (line[ind] == ' ')
			ind++;
		const char *s = line + ind;
		if (*s == '\t') {
			r = bad(err, errlen, ln, "tab in indentation (YAML wants spaces)");
			break;
		}
		if (!*s || *s == '#')
			continue;
		if (ln == 1 && !strcmp(line, "---"))
			continue;
		if (*s == '-') {
			r = bad(err, errlen, ln, "lists are not part of the web configuration vfscope reads");
			break;
		}
		if (key_value(s, key, sizeof(key), val, sizeof(val), &why)) {
			r = bad(err, errlen, ln, "%s", why);
			break;
		}
		if (ind == 0) {
			child_indent = -1;
			if (!strcmp(key, "tls_server_config") || !strcmp(key, "basic_auth_users")) {
				bool tls = key[0] == 't';
				if (tls ? seen_tls : seen_users) {
					r = bad(err, errlen, ln, "%s given twice", key);
					break;
				}
				if (*val && strcmp(val, "~") && strcmp(val, "null")) {
					r = bad(err, errlen, ln, "%s wants its keys on the lines below", key);
					break;
				}
				*(tls ? &seen_tls : &seen_users) = true;
				sec = tls ? TLS : USERS;
				if (tls)
					wc->tls = true;
			} else if (!strcmp(key, "http_server_config")) {
				r = bad(err, errlen, ln, "http_server_config is not supported by vfscope (HTTP/1.1 only)");
			} else {
				r = bad(err, errlen, ln, "unknown key '%.64s' (want tls_server_config or basic_auth_users)", key);
			}
			continue;
		}
		if (sec == NONE) {
			r = bad(err, errlen, ln, "indented line outside a section");
			break;
		}
		if (child_indent < 0)
			child_indent = ind;
		if (ind != child_indent) {
			r = bad(err, errlen, ln, "indentation %d, the section's keys are at %d (nothing nests deeper)", ind,
				child_indent);
			break;
		}
		if (sec == TLS) {
			r = tls_key(wc, key, val, ln, err, errlen);
			continue;
		}
		if (!*key) {
			r = bad(err, errlen, ln, "empty user name");
			break;
		}
		if (strchr(key, ':')) {
			r = bad(err, errlen, ln, "a user name cannot hold ':' (basic auth splits on it)");
			break;
		}
		if (!bcrypt_hash(val)) {
			r = bad(err, errlen, ln, "user '%.64s': want a bcrypt hash ($2y$, $2b$ or $2a$, 60 characters; "
					      "htpasswd -nBC 10 USER)", key);
			break;
		}
		for (size_t i = 0; i < wc->nusers; i++)
			if (!strcmp(wc->users[i].name, key)) {
				r = bad(err, errlen, ln, "user '%.64s' given twice", key);
				break;
			}
		if (r)
			break;
		if (wc->nusers == WEBCONFIG_MAX_USERS) {
			r = bad(err, errlen, ln, "more than %d users", WEBCONFIG_MAX_USERS);
			break;
		}
		wc->users[wc->nusers].name = vfs_xstrdup(key);
		wc->users[wc->nusers].hash = vfs_xstrdup(val);
		wc->nusers++;
	}
	if (!r && wc->tls) {
		if (!wc->cert_file || !wc->key_file)
			r = bad(err, errlen, 0, "tls_server_config needs both cert_file and key_file");
		else if (wc->client_ca_file && wc->client_auth == WC_NO_CLIENT_CERT)
			r = bad(err, errlen, 0, "client_ca_file is given without a client_auth_type that checks against it");
		else if (!wc->client_ca_file && (wc->client_auth == WC_VERIFY_CLIENT_CERT_IF_GIVEN ||
						 wc->client_auth == WC_REQUIRE_AND_VERIFY_CLIENT_CERT))
			r = bad(err, errlen, 0, "client_auth_type %s needs client_ca_file",
				webconfig_client_auth_name(wc->client_auth));
	}
	if (r)
		webconfig_free(wc);
	return r;
}

/* A whole small file, NUL-terminated. */
static char *slurp(const char *path, size_t max, size_t *len, int *e)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		*e = errno;
		return NULL;
	}
	char *buf = vfs_xcalloc(1, max + 1);
	size_t n = fread(buf, 1, max + 1, f);
	*e = ferror(f) ? EIO : n > max ? EFBIG : 0;
	fclose(f);
	if (*e) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static char *read_pem(const char *dir, const char *name, const char *what, char *err, size_t errlen)
{
	char path[4096];
	if (name[0] == '/' || !dir[0])
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	size_t len;
	int e;
	char *pem = slurp(path, MAX_PEM, &len, &e);
	if (!pem) {
		snprintf(err, errlen, "%s %s: %s", what, path, strerror(e));
		return NULL;
	}
	if (!strstr(pem, "-----BEGIN ")) {
		snprintf(err, errlen, "%s %s: not PEM", what, path);
		free(pem);
		return NULL;
	}
	return pem;
}

int webconfig_load(const char *path, struct webconfig *wc, char *err, size_t errlen)
{
	size_t len;
	int e;
	memset(wc, 0, sizeof(*wc));
	char *text = slurp(path, 1u << 20, &len, &e);
	if (!text) {
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	char perr[512];
	int r = webconfig_parse(text, len, wc, perr, sizeof(perr));
	free(text);
	if (r) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return r;
	}
	if (!wc->tls)
		return 0;
	char dir[4096];
	vfs_strlcpy(dir, path, sizeof(dir));
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		dir[0] = 0;
	if (!(wc->cert_pem = read_pem(dir, wc->cert_file, "cert_file", err, errlen)) ||
	    !(wc->key_pem = read_pem(dir, wc->key_file, "key_file", err, errlen)) ||
	    (wc->client_ca_file && !(wc->ca_pem = read_pem(dir, wc->client_ca_file, "client_ca_file", err, errlen)))) {
		webconfig_free(wc);
		return -EINVAL;
	}
	return 0;
}

void webconfig_free(struct webconfig *wc)
{
	free(wc->cert_file);
	free(wc->key_file);
	free(wc->client_ca_file);
	for (size_t i = 0; i < wc->nusers; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	if (wc->key_pem) /* the private key: not left in freed memory */
		explicit_bzero(wc->key_pem, strlen(wc->key_pem));
	free(wc->cert_pem);
	free(wc->key_pem);
	free(wc->ca_pem);
	memset(wc, 0, sizeof(*wc));
}
