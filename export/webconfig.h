/* The Prometheus exporter-toolkit web configuration file
 * (--web.config.file; https://github.com/prometheus/exporter-toolkit
 * docs/web-configuration.md), the subset vfscope serves:
 *
 *   tls_server_config:
 *     cert_file: server.crt          # PEM, may hold the chain
 *     key_file: server.key
 *     client_auth_type: RequireAndVerifyClientCert   # or NoClientCert (default),
 *         # RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven
 *     client_ca_file: ca.crt
 *     min_version: TLS12             # TLS10 .. TLS13
 *   basic_auth_users:
 *     alice: $2y$10$...              # bcrypt hashes
 *
 * Block-style YAML only: "key: value" lines, two nesting levels, # comments,
 * plain, 'single' or "double" quoted scalars (no escapes but '' and \" \\).
 * Anything else (a key the toolkit has that vfscope does not serve, flow
 * style, anchors, tabs, a duplicate key) is an error naming the line:
 * an exporter that starts without the TLS or auth it was told to use is
 * worse than one that refuses to start. Relative file names are relative
 * to the configuration file's directory, as in the toolkit. */
#ifndef VFS_WEBCONFIG_H
#define VFS_WEBCONFIG_H
#include <stdbool.h>
#include <stddef.h>

enum webconfig_client_auth {
	WC_NO_CLIENT_CERT,
	WC_REQUEST_CLIENT_CERT,
	WC_REQUIRE_ANY_CLIENT_CERT,
	WC_VERIFY_CLIENT_CERT_IF_GIVEN,
	WC_REQUIRE_AND_VERIFY_CLIENT_CERT,
};

#define WEBCONFIG_MAX_USERS 64

struct webconfig_user {
	char *name, *hash;
};

struct webconfig {
	bool tls; /* tls_server_config given */
	char *cert_file, *key_file, *client_ca_file; /* as written */
	enum webconfig_client_auth client_auth;
	int min_version; /* 0 (default: TLS 1.2), 10, 11, 12, 13 */
	struct webconfig_user users[WEBCONFIG_MAX_USERS];
	size_t nusers;
	/* webconfig_load: the files' contents (PEM) */
	char *cert_pem, *key_pem, *ca_pem;
};

/* Parse text (not NUL-terminated); 0, or -EINVAL with "line N: why" in err. */
int webconfig_parse(const char *text, size_t len, struct webconfig *wc, char *err, size_t errlen);
/* Read and parse path, check it, read the files it names. 0 or -errno with err. */
int webconfig_load(const char *path, struct webconfig *wc, char *err, size_t errlen);
void webconfig_free(struct webconfig *wc);
const char *webconfig_client_auth_name(enum webconfig_client_auth a);
#endif
