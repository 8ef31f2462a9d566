/* The Hyper-V reader (collectors/ps_json.c, ps_export.c, hyperv.c) and the
 * model's view (model/hyperv.c, json_hyperv.c): encodings, shapes, both
 * enum forms, recognition by content, the folder and zip layouts, the
 * member -> vNIC -> switch -> NIC path, JSON both ways, and hostile input
 * (tests/fixtures/hyperv/hostile/, tests/fixtures/hyperv-reader/). */
#include "tests/unit/t.h"
#include "collectors/hyperv.h"
#include "collectors/ps_export.h"
#include "collectors/ps_json.h"
#include "model/hyperv.h"
#include "model/json.h"
#include "model/json_hyperv.h"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FX "tests/fixtures/hyperv/"

/* text as UTF-16LE with a BOM, as Windows PowerShell 5.1's `>` writes it */
static uint8_t *utf16le(const char *s, size_t *len, bool bom)
{
	size_t n = strlen(s);
	uint8_t *b = malloc(2 * n + 2);
	size_t o = 0;
	if (bom) {
		b[o++] = 0xff;
		b[o++] = 0xfe;
	}
	for (size_t i = 0; i < n; i++) {
		b[o++] = (uint8_t)s[i];
		b[o++] = 0;
	}
	*len = o;
	return b;
}

static json_t *load(const uint8_t *b, size_t len, const char **enc, char *err)
{
	return ps_json_load(b, len, enc, err, 256);
}

static void test_encodings(void)
{
	const char *doc = "[{\"Name\":\"NIC-\xc3\xa9\"}]";
	char err[256];
	const char *enc;
	size_t len;
	uint8_t *u = utf16le("[{\"Name\":\"NIC-A\"}]", &len, true);
	json_t *j = load(u, len, &enc, err);
	CHECK(j && json_array_size(j) == 1);
	CHECK_STR(enc, "utf-16le-bom");
	CHECK_STR(json_string_value(json_object_get(json_array_get(j, 0), "Name")), "NIC-A");
	json_decref(j);
	free(u);
	u = utf16le("{\"Name\":\"NIC-A\"}", &len, false); /* no BOM: found from the NULs */
	j = load(u, len, &enc, err);
	CHECK(j && json_array_size(j) == 1);
	CHECK_STR(enc, "utf-16le");
	json_decref(j);
	free(u);
	/* UTF-16BE with BOM, one non-ASCII character (U+00E9) */
	const uint8_t be[] = { 0xfe, 0xff, 0, '[', 0, '"', 0, 0xe9, 0, '"', 0, ']' };
	j = load(be, sizeof(be), &enc, err);
	CHECK(j && json_is_string(json_array_get(j, 0)));
	CHECK_STR(json_string_value(json_array_get(j, 0)), "\xc3\xa9");
	CHECK_STR(enc, "utf-16be-bom");
	json_decref(j);
	/* a surrogate pair (U+1F600) */
	const uint8_t pair[] = { 0xff, 0xfe, '[', 0, '"', 0, 0x3d, 0xd8, 0x00, 0xde, '"', 0, ']', 0 };
	j = load(pair, sizeof(pair), &enc, err);
	CHECK_STR(json_string_value(json_array_get(j, 0)), "\xf0\x9f\x98\x80");
	json_decref(j);
	/* UTF-8 with and without BOM */
	char bom8[64];
	snprintf(bom8, sizeof(bom8), "\xef\xbb\xbf%s", doc);
	j = load((const uint8_t *)bom8, strlen(bom8), &enc, err);
	CHECK(j && json_array_size(j) == 1);
	CHECK_STR(enc, "utf-8-bom");
	json_decref(j);
	j = load((const uint8_t *)doc, strlen(doc), &enc, err);
	CHECK_STR(enc, "utf-8");
	CHECK_STR(json_string_value(json_object_get(json_array_get(j, 0), "Name")), "NIC-\xc3\xa9");
	json_decref(j);
}

static void test_bad_encodings(void)
{
	char err[256];
	const char *enc;
	const uint8_t lone_hi[] = { 0xff, 0xfe, '[', 0, 0x3d, 0xd8, ']', 0 };
	CHECK(!load(lone_hi, sizeof(lone_hi), &enc, err));
	CHECK(strstr(err, "unpaired high surrogate") != NULL);
	const uint8_t lone_lo[] = { 0xff, 0xfe, '[', 0, 0x00, 0xde, ']', 0 };
	CHECK(!load(lone_lo, sizeof(lone_lo), &enc, err));
	CHECK(strstr(err, "unpaired low surrogate") != NULL);
	const uint8_t odd[] = { 0xff, 0xfe, '[', 0, ']' };
	CHECK(!load(odd, sizeof(odd), &enc, err));
	CHECK(strstr(err, "odd length") != NULL);
	const uint8_t nulch[] = { 0xff, 0xfe, '[', 0, 0, 0, ']', 0 };
	CHECK(!load(nulch, sizeof(nulch), &enc, err));
	CHECK(strstr(err, "NUL character") != NULL);
	const uint8_t nul8[] = { '[', '1', 0, ']' };
	CHECK(!load(nul8, sizeof(nul8), &enc, err));
	CHECK(strstr(err, "NUL byte") != NULL);
	/* UTF-8 that is not: jansson refuses it */
	const uint8_t bad8[] = { '[', '"', 0xc3, '"', ']' };
	CHECK(!load(bad8, sizeof(bad8), &enc, err));
	CHECK(strstr(err, "not JSON") != NULL);
}

static void test_shapes(void)
{
	char err[256];
	const char *enc;
	const char *w = "{\"value\":[{\"Name\":\"a\"},{\"Name\":\"b\"}],\"Count\":2}";
	json_t *j = load((const uint8_t *)w, strlen(w), &enc, err);
	CHECK(j && json_array_size(j) == 2); /* 5.1's PSObject array wrapper */
	json_decref(j);
	const char *one = "{\"value\":1,\"Count\":2}"; /* an object that only looks like it */
	j = load((const uint8_t *)one, strlen(one), &enc, err);
	CHECK(j && json_array_size(j) == 1);
	json_decref(j);
	CHECK(!load((const uint8_t *)"\"text\"", 6, &enc, err));
	CHECK(strstr(err, "not an object") != NULL);
	char deep[200];
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	CHECK(!load((const uint8_t *)deep, sizeof(deep), &enc, err));
	CHECK(strstr(err, "nested deeper") != NULL);
	/* brackets inside strings do not count */
	char s[300] = "[\"";
	memset(s + 2, '[', 200);
	strcpy(s + 202, "\"]");
	j = load((const uint8_t *)s, strlen(s), &enc, err);
	CHECK(j != NULL);
	json_decref(j);
}

static void test_values(void)
{
	json_error_t je;
	json_t *o = json_loads("{\"a\":\"/Date(1764630000000)/\",\"b\":\"/Date(-5+0100)/\",\"c\":\"12\","
			       "\"d\":\"True\",\"e\":2.0,\"f\":2.5,\"g\":[\"x\",\"y\"],\"h\":null,\"i\":\"Failed\","
			       "\"MixedCase\":1}", 0, &je);
	int64_t v;
	CHECK(ps_get_date_ms(o, "a", &v) == 1 && v == 1764630000000LL);
	CHECK(ps_get_date_ms(o, "b", &v) == 1 && v == -5);
	CHECK(ps_get_date_ms(o, "c", &v) < 0);
	CHECK(ps_get_int(o, "c", &v) == 1 && v == 12);
	CHECK(ps_get_bool(o, "d", &v) == 1 && v == 1);
	CHECK(ps_get_int(o, "e", &v) == 1 && v == 2);
	CHECK(ps_get_int(o, "f", &v) < 0);
	CHECK(ps_get_int(o, "h", &v) == 0);
	CHECK(ps_get_int(o, "absent", &v) == 0);
	CHECK(ps_get_enum(o, "i", hv_oper_mode_names, &v) == 1 && v == HV_OM_FAILED);
	CHECK(ps_get_int(o, "mixedcase", &v) == 1 && v == 1); /* property names are case-insensitive */
	struct hv_strlist l = { 0 };
	CHECK(ps_get_strlist(o, "g", &l, SRC_POWERSHELL) == 1 && l.n == 2);
	char b[64];
	CHECK_STR(hv_strlist_join(&l, b, sizeof(b)), "x; y");
	hv_strlist_free(&l);
	CHECK(ps_get_strlist(o, "h", &l, SRC_POWERSHELL) == 1 && l.n == 0 && l.src); /* null: known, none */
	CHECK_STR(hv_strlist_join(&l, b, sizeof(b)), "");
	hv_strlist_free(&l);
	CHECK_STR(hv_strlist_join(&l, b, sizeof(b)), "?");
	json_decref(o);
	char m[18];
	CHECK_STR(hv_mac_norm("00155D0A0001", m, sizeof(m)), "00:15:5d:0a:00:01");
	CHECK_STR(hv_mac_norm("00-15-5D-0A-00-01", m, sizeof(m)), "00:15:5d:0a:00:01");
	CHECK(hv_mac_norm("zz", m, sizeof(m)) == NULL);
	CHECK(hv_mac_norm("00155D0A000102", m, sizeof(m)) == NULL);
}

/* One file of text, read into a fresh view. */
static int read_one(struct machine *m, struct hv_view *v, const char *name, const char *text)
{
	char err[256];
	return hyperv_read_file(m, v, name, (const uint8_t *)text, strlen(text), err, sizeof(err));
}

/* The same objects with 5.1 integer enums in UTF-16LE and 7 names in UTF-8
 * give the same values. */
static void test_enums_both_forms(void)
{
	const char *f51 = "[{\"VMName\":\"vm\",\"Name\":\"n\",\"SwitchName\":\"S\",\"MacAddress\":\"00155D000001\","
			  "\"AllowTeaming\":0,\"MacAddressSpoofing\":1,\"IovWeight\":100,\"Status\":[2]}]";
	const char *f7 = "{\"VMName\":\"vm\",\"Name\":\"n\",\"SwitchName\":\"S\",\"MacAddress\":\"00155D000001\","
			 "\"AllowTeaming\":\"On\",\"MacAddressSpoofing\":\"Off\",\"IovWeight\":100,\"Status\":\"Ok\"}";
	struct machine *m = machine_new("host");
	struct hv_view *a = hv_new(false), *b = hv_new(false);
	size_t len;
	uint8_t *u = utf16le(f51, &len, true);
	char err[256];
	CHECK_INT(hyperv_read_file(m, a, "x.json", u, len, err, sizeof(err)), 0);
	free(u);
	CHECK_INT(read_one(m, b, "y.txt", f7), 0); /* any name: recognised by content */
	CHECK(a->nvnics == 1 && b->nvnics == 1);
	for (int i = 0; i < 2; i++) {
		const struct hv_vnic *n = &(i ? b : a)->vnics[0];
		CHECK_INT(n->allow_teaming.v, HV_ON);
		CHECK_INT(n->allow_teaming.src, SRC_POWERSHELL);
		CHECK_INT(n->mac_spoofing.v, HV_OFF);
		CHECK_INT(hv_vnic_status_ok(n), 1);
		CHECK_STR(n->mac.v, "00:15:5d:00:00:01");
		CHECK(!VI_KNOWN(n->iov_usage)); /* absent stays unknown */
		CHECK(!VI_KNOWN(n->vf_present));
	}
	CHECK(HV_HAVE(a, HV_K_VMNETWORKADAPTER));
	CHECK_STR(a->files[0].encoding, "utf-16le-bom");
	CHECK_STR(b->files[0].encoding, "utf-8");
	hv_free(a);
	hv_free(b);

	const char *t51 = "{\"Name\":\"T\",\"Members\":[\"A\",\"B\"],\"TeamingMode\":2,\"LoadBalancingAlgorithm\":5,\"Status\":2}";
	const char *t7 = "{\"Name\":\"T\",\"Members\":[\"A\",\"B\"],\"TeamingMode\":\"Lacp\",\"LoadBalancingAlgorithm\":\"Dynamic\",\"Status\":\"Degraded\"}";
	const char *m51 = "[{\"Name\":\"A\",\"Team\":\"T\",\"AdministrativeMode\":1,\"OperationalMode\":4096,\"FailureReason\":9}]";
	const char *m7 = "[{\"Name\":\"A\",\"Team\":\"T\",\"AdministrativeMode\":\"Standby\",\"OperationalStatus\":\"Failed\","
			 "\"FailureReason\":\"VirtualSwitchLacksExternalConnectivity\"}]";
	for (int i = 0; i < 2; i++) {
		struct hv_view *v = hv_new(true);
		CHECK_INT(read_one(m, v, "m.json", i ? m7 : m51), 0); /* members before their team */
		CHECK_INT(read_one(m, v, "t.json", i ? t7 : t51), 0);
		CHECK_INT(v->nteams, 1);
		const struct hv_team *t = &v->teams[0];
		CHECK_INT(t->teaming_mode.v, HV_TM_LACP);
		CHECK_INT(t->lb_algo.v, HV_LB_DYNAMIC);
		CHECK_INT(t->status.v, HV_TS_DEGRADED);
		CHECK_INT(t->member_names.n, 2);
		CHECK_INT(t->nmembers, 1);
		CHECK_INT(t->members[0].admin_mode.v, HV_AM_STANDBY);
		CHECK_INT(t->members[0].oper_mode.v, HV_OM_FAILED);
		CHECK_INT(t->members[0].failure_reason.v, HV_FR_VSWITCH_LACKS_EXTERNAL_CONNECTIVITY);
		hv_free(v);
	}
	machine_free(m);
}

static void test_recognition(void)
{
	json_error_t je;
	struct { const char *j; int kind; } c[] = {
		{ "{\"Name\":\"x\",\"CimSystemProperties\":{\"ClassName\":\"MSFT_NetLbfoTeamNic\"}}", HV_K_NETLBFOTEAMNIC },
		{ "{\"ComputerName\":\"h\",\"VirtualMachinePath\":\"C:\\\\\"}", HV_K_VMHOST },
		{ "{\"Name\":\"s\",\"SwitchType\":2,\"IovEnabled\":true}", HV_K_VMSWITCH },
		{ "{\"VMName\":\"v\",\"SwitchName\":\"s\"}", HV_K_VMNETWORKADAPTER },
		{ "{\"Name\":\"p\",\"FunctionID\":0}", HV_K_NETADAPTERSRIOVVF },
		{ "{\"Name\":\"p\",\"NumVFs\":8}", HV_K_NETADAPTERSRIOV },
		{ "{\"Name\":\"a\",\"Team\":\"t\",\"AdministrativeMode\":0}", HV_K_NETLBFOTEAMMEMBER },
		{ "{\"Name\":\"t\",\"Team\":\"t\",\"VlanID\":null}", HV_K_NETLBFOTEAMNIC },
		{ "{\"Name\":\"t\",\"TeamingMode\":1}", HV_K_NETLBFOTEAM },
		{ "{\"Name\":\"e\",\"InterfaceDescription\":\"d\",\"MacAddress\":\"00-01-02-03-04-05\"}", HV_K_NETADAPTER },
		{ "{\"vfscope_collect\":1}", HV_K_COLLECT },
		{ "{\"cmdlet\":\"Get-X\",\"error\":\"e\"}", HV_K_ERRORS },
		{ "{\"Name\":\"N0\",\"SwitchName\":\"S\"}", -1 },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		json_t *o = json_loads(c[i].j, 0, &je);
		CHECK(o != NULL);
		CHECK_INT(hyperv_kind_of(o), c[i].kind);
		json_decref(o);
	}
	/* an empty list names its cmdlet only through the file name */
	struct machine *m = machine_new("host");
	struct hv_view *v = hv_new(false);
	CHECK_INT(read_one(m, v, "host/Get-NetLbfoTeam.json", "[]"), 0);
	CHECK(HV_HAVE(v, HV_K_NETLBFOTEAM) && v->nteams == 0);
	CHECK_INT(read_one(m, v, "teams-by-hand.json", "[]"), 1);
	CHECK(!HV_HAVE(v, HV_K_VMSWITCH));
	CHECK_INT(read_one(m, v, "notes.txt", "Name : NIC-A\r\n"), 1); /* not JSON, not .json: skipped */
	CHECK_INT(read_one(m, v, "errors.json", "[{\"cmdlet\":\"Get-VMSwitch\",\"error\":\"denied\"}]"), 0);
	CHECK(m->nwarnings == 1 && strstr(m->warnings[0], "Get-VMSwitch failed: denied"));
	hv_free(v);
	machine_free(m);
}

static void test_wrong_types(void)
{
	struct machine *m = machine_new("host");
	struct hv_view *v = hv_new(false);
	char err[256];
	struct ps_export x;
	CHECK_INT(ps_export_open(FX "hostile", &x, err, sizeof(err)), 0);
	for (size_t i = 0; i < x.nfiles; i++) {
		if (strcmp(x.files[i].path, "wrong-types.json"))
			continue;
		CHECK_INT(hyperv_read_file(m, v, x.files[i].path, x.files[i].data, x.files[i].len, err, sizeof(err)), 0);
	}
	ps_export_free(&x);
	CHECK_INT(v->nvnics, 2);
	if (v->nvnics != 2) {
		hv_free(v);
		machine_free(m);
		return;
	}
	const struct hv_vnic *a = &v->vnics[0], *b = &v->vnics[1];
	CHECK(!VS_KNOWN(a->name) && !VS_KNOWN(a->vm_name) && !VS_KNOWN(a->switch_name) && !VS_KNOWN(a->mac));
	CHECK(!VI_KNOWN(a->allow_teaming));  /* "Maybe" */
	CHECK_INT(a->iov_weight.v, 100);     /* "100": a number as a string */
	CHECK(!VI_KNOWN(a->iov_usage));      /* -1 */
	CHECK(!VI_KNOWN(a->iov_qp_assigned)); /* 1e300 */
	CHECK(!VI_KNOWN(a->vf_present));     /* 3 */
	CHECK_INT(a->vf_datapath_active.v, 1); /* "true" */
	CHECK_INT(hv_vnic_status_ok(a), 1);  /* 2, not wrapped in an array */
	CHECK(!VI_KNOWN(a->mac_spoofing));
	CHECK_STR(b->name.v, "NIC-X");
	CHECK(!VS_KNOWN(b->vm_name) && !VS_KNOWN(b->switch_name) && !VS_KNOWN(b->mac));
	CHECK(!VI_KNOWN(b->allow_teaming)); /* 99 is not On or Off */
	CHECK(!VI_KNOWN(b->iov_weight));    /* 2^64 */
	CHECK(!b->status_src);              /* [null, "Ok", 2.5] */
	CHECK_INT(v->files[0].status, SOURCE_PARTIAL);
	CHECK(v->files[0].detail && strstr(v->files[0].detail, "unexpected type"));
	hv_free(v);
	machine_free(m);
}

static void test_hostile(void)
{
	static const struct { const char *file; const char *why; } c[] = {
		{ "bom-utf8-in-utf16-name.json", "not JSON" },
		{ "deep-nesting-utf16.json", "nested deeper" },
		{ "deep-nesting.json", "nested deeper" },
		{ "empty.json", "empty file" },
		{ "invalid-utf16-lone-surrogate.json", "invalid UTF-16" },
		{ "invalid-utf16-odd-length.json", "invalid UTF-16" },
		{ "many-objects.json", "5000 objects" },
		{ "not-json.json", "not JSON" },
		{ "only-bom.json", "not JSON" },
		{ "truncated.json", "not JSON" },
		{ "utf16-nul-in-string.json", "NUL character" },
	};
	char err[256];
	struct ps_export x;
	CHECK_INT(ps_export_open(FX "hostile", &x, err, sizeof(err)), 0);
	for (size_t k = 0; k < sizeof(c) / sizeof(c[0]); k++) {
		bool seen = false;
		for (size_t i = 0; i < x.nfiles; i++) {
			if (strcmp(x.files[i].path, c[k].file))
				continue;
			seen = true;
			struct machine *m = machine_new("host");
			struct hv_view *v = hv_new(false);
			err[0] = 0;
			int r = hyperv_read_file(m, v, x.files[i].path, x.files[i].data, x.files[i].len, err, sizeof(err));
			CHECK(r < 0);
			if (!strstr(err, c[k].why))
				fprintf(stderr, "%s: %s\n", c[k].file, err);
			CHECK(strstr(err, c[k].why) != NULL);
			CHECK(strstr(err, c[k].file) == err); /* the message names the file */
			CHECK_INT(v->nvnics + v->nnics + v->nteams, 0);
			hv_free(v);
			machine_free(m);
		}
		CHECK(seen);
	}
	ps_export_free(&x);
	/* the whole folder: one clear error, no model */
	struct machine *m = hyperv_load(FX "hostile", err, sizeof(err));
	CHECK(m == NULL);
	CHECK(strstr(err, FX "hostile: ") == err);
	CHECK(hyperv_load("tests/fixtures/hyperv/does-not-exist", err, sizeof(err)) == NULL);
	CHECK(hyperv_load("tests/unit/t.h", err, sizeof(err)) == NULL); /* not a folder or archive */
	CHECK(strstr(err, "not a folder, zip or tar") != NULL);
	CHECK(hyperv_load("tests/unit", err, sizeof(err)) == NULL); /* nothing recognised */
	CHECK(strstr(err, "no PowerShell export recognised") != NULL);
}

/* The fixture's healthy setup, as both PowerShells wrote it. */
static void check_healthy(const struct machine *m)
{
	CHECK_STR(m->role, "host");
	CHECK_STR(m->label, "HV01");
	const struct hv_view *h = m->hyperv;
	CHECK(h && !h->is_guest);
	if (!h)
		return;
	CHECK_INT(h->nswitches, 3);
	CHECK(HV_HAVE(h, HV_K_NETLBFOTEAM) && h->nteams == 0); /* known: no host team */
	CHECK_INT(machine_source(m, "hyperv") ? machine_source(m, "hyperv")->status : -1, SOURCE_OK);
	CHECK_INT(m->nguests, 1);
	if (m->nguests != 1)
		return;
	const struct machine *g = m->guests[0];
	CHECK_STR(g->role, "guest");
	CHECK_STR(g->label, "vm-app01");
	CHECK(g->hyperv && g->hyperv->is_guest && g->hyperv->nteams == 1);
	if (!g->hyperv || g->hyperv->nteams != 1)
		return;
	const struct hv_team *t = &g->hyperv->teams[0];
	CHECK_INT(t->teaming_mode.v, HV_TM_SWITCH_INDEPENDENT);
	CHECK_INT(t->nmembers, 2);
	/* whole path: member -> guest adapter -> host vNIC -> switch -> NIC */
	for (size_t j = 0; j < t->nmembers; j++) {
		const struct hv_member *mb = &t->members[j];
		const struct hv_vnic *vn = hv_member_vnic(m, mb);
		CHECK(vn != NULL);
		if (!vn)
			continue;
		CHECK_INT(vn->allow_teaming.v, HV_ON);
		CHECK_INT(vn->guest_member_idx, (long long)j);
		const struct hv_nic *pn = hv_vnic_nic(h, vn);
		CHECK(pn && VS_KNOWN(pn->name));
		CHECK(pn && pn->media_state.v == HV_MS_CONNECTED);
		CHECK(vn->vf_idx >= 0);
	}
	CHECK(hv_member_vnic(m, &t->members[0]) != hv_member_vnic(m, &t->members[1]));
	/* mirrored for the generic team walkers */
	CHECK_INT(g->nteams, 1);
	CHECK_INT(g->teams[0].driver, TEAM_LBFO);
	CHECK_STR(g->teams[0].mode.v, "SwitchIndependent");
	CHECK(!VI_KNOWN(g->teams[0].mode_num));
	CHECK_STR(g->teams[0].members[0].state.v, "active");
}

/* The view as JSON with what differs by PowerShell removed (file list,
 * version, computer-wide guesses) */
static char *view_text(const struct hv_view *v)
{
	json_t *j = hv_to_json(v);
	/* differ between the two fixtures, not by encoding: the guest's name
	 * as each PowerShell's host reported it, and a cmdlet that failed in one */
	static const char *const drop[] = { "files", "ps_version", "computer_name", "have" };
	for (size_t i = 0; i < sizeof(drop) / sizeof(drop[0]); i++) {
		json_object_del(j, drop[i]);
		json_object_del(json_object_get(j, "src"), drop[i]);
	}
	char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(j);
	return s;
}

static void test_fixture_both_encodings(void)
{
	char err[512];
	struct machine *a = hyperv_load(FX "healthy/ps51", err, sizeof(err));
	CHECK(a != NULL);
	struct machine *b = hyperv_load(FX "healthy/ps7", err, sizeof(err));
	CHECK(b != NULL);
	if (!a || !b)
		return;
	check_healthy(a);
	check_healthy(b);
	char *sa = view_text(a->hyperv), *sb = view_text(b->hyperv);
	CHECK(sa && sb && !strcmp(sa, sb));
	if (sa && sb && strcmp(sa, sb))
		fprintf(stderr, "5.1: %s\n7:   %s\n", sa, sb);
	free(sa);
	free(sb);
	sa = view_text(a->guests[0]->hyperv);
	sb = view_text(b->guests[0]->hyperv);
	CHECK(sa && sb && !strcmp(sa, sb));
	if (sa && sb && strcmp(sa, sb))
		fprintf(stderr, "5.1: %s\n7:   %s\n", sa, sb);
	free(sa);
	free(sb);
	machine_free(a);
	machine_free(b);
}

static void test_zip_and_guest_option(void)
{
	char err[512];
	/* a zip whose files sit under one folder, with '\' separators */
	struct machine *m = hyperv_load("tests/fixtures/hyperv-reader/healthy-ps51.zip", err, sizeof(err));
	CHECK(m != NULL);
	if (m) {
		check_healthy(m);
		machine_free(m);
	}
	/* the host alone, then the guest given by --hyperv-guest (a zip, files at its top) */
	m = hyperv_load(FX "healthy/ps7/host", err, sizeof(err));
	CHECK(m && m->nguests == 0);
	if (!m)
		return;
	CHECK(m->hyperv->vnics[0].guest_idx == -1);
	CHECK_INT(hyperv_add_guest(m, "tests/fixtures/hyperv-reader/guest-vm-app01.zip", err, sizeof(err)), 0);
	CHECK(m->nguests == 1 && !strcmp(m->guests[0]->label, "guest-vm-app01"));
	CHECK_INT(m->hyperv->vnics[0].guest_idx, 0); /* linked by MAC whatever the VM name */
	CHECK_INT(hyperv_add_guest(m, "vm-app01=" FX "healthy/ps51/guests/vm-app01", err, sizeof(err)), 0);
	CHECK(m->nguests == 2 && !strcmp(m->guests[1]->label, "vm-app01"));
	/* one MAC in two guests' views: the one named as the VM wins */
	CHECK_INT(m->hyperv->vnics[0].guest_idx, 1);
	CHECK(hyperv_add_guest(m, "x=" FX "healthy/ps51/host", err, sizeof(err)) < 0);
	CHECK(strstr(err, "not a guest's") != NULL);
	CHECK(hyperv_add_guest(m, "x=" FX "hostile", err, sizeof(err)) < 0);
	CHECK_INT(m->nguests, 2);
	machine_free(m);
}

static void test_json_round_trip(void)
{
	char err[512];
	struct machine *m = hyperv_load(FX "healthy/ps51", err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	json_t *j1 = machine_to_json(m);
	char *t1 = json_dumps(j1, JSON_SORT_KEYS);
	struct machine *r = machine_from_text(t1, strlen(t1), 0, err, sizeof(err));
	CHECK(r != NULL);
	if (r) {
		CHECK(r->hyperv && r->hyperv->nvnics == m->hyperv->nvnics);
		CHECK(r->nguests == 1 && r->guests[0]->hyperv);
		/* links are recomputed on reading */
		CHECK(r->nguests == 1 && hv_member_vnic(r, &r->guests[0]->hyperv->teams[0].members[1]) ==
						  &r->hyperv->vnics[1]);
		CHECK_INT(r->hyperv->vnics[0].allow_teaming.src, SRC_POWERSHELL);
		json_t *j2 = machine_to_json(r);
		char *t2 = json_dumps(j2, JSON_SORT_KEYS);
		CHECK(!strcmp(t1, t2));
		free(t2);
		json_decref(j2);
		machine_free(r);
	}
	/* a bundle's override source is recorded for every value */
	r = machine_from_text(t1, strlen(t1), SRC_BUNDLE, err, sizeof(err));
	CHECK(r && r->hyperv->vnics[0].allow_teaming.src == SRC_BUNDLE);
	machine_free(r);
	/* a wrong type in the hyperv member is an error, not a guess */
	json_t *h = json_object_get(j1, "hyperv");
	json_object_set_new(json_array_get(json_object_get(h, "vnics"), 0), "iov_weight", json_string("100"));
	char *t3 = json_dumps(j1, 0);
	CHECK(machine_from_text(t3, strlen(t3), 0, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "iov_weight") != NULL);
	free(t3);
	free(t1);
	json_decref(j1);
	machine_free(m);
}

T_MAIN(T(test_encodings), T(test_bad_encodings), T(test_shapes), T(test_values), T(test_enums_both_forms),
       T(test_recognition), T(test_wrong_types), T(test_hostile), T(test_fixture_both_encodings),
       T(test_zip_and_guest_option), T(test_json_round_trip))
