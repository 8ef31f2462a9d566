/* Hyper-V host / Windows guest PowerShell exports into the model
 * (collectors/hyperv.h). Files are recognised by their objects; each
 * object kind has one mapping function below; what a property means and
 * which values it takes is in model/hyperv.h. */
#include "collectors/hyperv.h"
#include "collectors/ps_export.h"
#include "collectors/ps_json.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define SRC SRC_POWERSHELL
#define HV_MAX_STR 1024 /* a longer property is not a name, MAC or description: unknown */

/* One file being read: where values go and what was left unknown. */
struct rd {
	struct hv_view *v;
	struct machine *m;
	size_t bad;           /* properties present with a value that cannot be theirs */
	char badnames[160];
};

static void bad(struct rd *r, const char *prop)
{
	size_t l = strlen(r->badnames);
	if (r->bad++ < 6 && l + strlen(prop) + 3 < sizeof(r->badnames))
		snprintf(r->badnames + l, sizeof(r->badnames) - l, "%s%s", l ? ", " : "", prop);
}

static void get_s(struct rd *r, const json_t *o, const char *k, struct vs *f)
{
	const json_t *p = ps_prop(o, k);
	char b[HV_MAX_STR + 1];
	if (!p || json_is_null(p))
		return;
	if (!json_is_string(p) || json_string_length(p) > HV_MAX_STR) {
		bad(r, k);
		return;
	}
	if (ps_get_str(o, k, b, sizeof(b)) > 0)
		vs_set(f, b, SRC);
}

static void get_mac(struct rd *r, const json_t *o, const char *k, struct vs *f)
{
	char b[64], n[18];
	int x = ps_get_str(o, k, b, sizeof(b));
	if (x < 0 || (x > 0 && !hv_mac_norm(b, n, sizeof(n)))) {
		bad(r, k);
		return;
	}
	if (x > 0)
		vs_set(f, n, SRC);
}

static void get_i(struct rd *r, const json_t *o, const char *k, struct vi *f, int64_t min, int64_t max)
{
	int64_t v;
	int x = ps_get_int(o, k, &v);
	if (x < 0 || (x > 0 && (v < min || v > max))) {
		bad(r, k);
		return;
	}
	if (x > 0)
		vi_set(f, v, SRC);
}

static void get_b(struct rd *r, const json_t *o, const char *k, struct vi *f)
{
	int64_t v;
	int x = ps_get_bool(o, k, &v);
	if (x < 0)
		bad(r, k);
	else if (x > 0)
		vi_set(f, v, SRC);
}

/* strict: an integer must be one of the table's (closed enumerations:
 * On/Off, modes); otherwise any non-negative integer is kept. */
static void get_e(struct rd *r, const json_t *o, const char *k, struct vi *f, const struct hv_enum *t, bool strict)
{
	int64_t v;
	int x = ps_get_enum(o, k, t, &v);
	if (x < 0 || (x > 0 && (v < 0 || v > UINT32_MAX || (strict && !hv_enum_name(t, v))))) {
		bad(r, k);
		return;
	}
	if (x > 0)
		vi_set(f, v, SRC);
}

static void get_list(struct rd *r, const json_t *o, const char *k, struct hv_strlist *l)
{
	const json_t *p = ps_prop(o, k);
	if (p && json_is_array(p)) {
		size_t i;
		json_t *e;
		json_array_foreach(p, i, e)
			if (json_is_string(e) && json_string_length(e) > HV_MAX_STR) {
				bad(r, k);
				return;
			}
	}
	if (ps_get_strlist(o, k, l, SRC) < 0)
		bad(r, k);
}

/* A name other objects refer to (Name, Team, SwitchName): a usable string or NULL. */
static const char *ref_name(const json_t *o, const char *k)
{
	const json_t *p = ps_prop(o, k);
	return p && json_is_string(p) && json_string_length(p) && json_string_length(p) <= HV_MAX_STR
		       ? json_string_value(p) : NULL;
}

static void computer_from(struct rd *r, const json_t *o)
{
	if (VS_KNOWN(r->v->computer_name))
		return;
	const json_t *csp = ps_prop(o, "CimSystemProperties");
	const char *n = ref_name(o, "PSComputerName");
	if (!n)
		n = ref_name(o, "ComputerName");
	if (!n && json_is_object(csp))
		n = ref_name(csp, "ServerName");
	char b[256];
	if (n && vfs_sanitize(b, sizeof(b), n)[0])
		vs_set(&r->v->computer_name, b, SRC);
}

/* ---- recognition ---------------------------------------------------------- */

static const struct { const char *cls; int kind; } cim_classes[] = {
	{ "MSFT_NetAdapter", HV_K_NETADAPTER },
	{ "MSFT_NetAdapterSriovSettingData", HV_K_NETADAPTERSRIOV },
	{ "MSFT_NetAdapterSriovVfSettingData", HV_K_NETADAPTERSRIOVVF },
	{ "MSFT_NetLbfoTeam", HV_K_NETLBFOTEAM },
	{ "MSFT_NetLbfoTeamMember", HV_K_NETLBFOTEAMMEMBER },
	{ "MSFT_NetLbfoTeamNic", HV_K_NETLBFOTEAMNIC },
};

int hyperv_kind_of(const json_t *o)
{
	if (!json_is_object(o))
		return -1;
	const json_t *csp = ps_prop(o, "CimSystemProperties");
	const char *cls = json_is_object(csp) ? ref_name(csp, "ClassName") : NULL;
	for (size_t i = 0; cls && i < ARRAY_SIZE(cim_classes); i++)
		if (!strcasecmp(cls, cim_classes[i].cls))
			return cim_classes[i].kind;
#define H(p) ps_has(o, p)
	if (H("vfscope_collect"))
		return HV_K_COLLECT;
	if (H("VirtualMachinePath") || H("MacAddressMinimum") || H("LogicalProcessorCount"))
		return HV_K_VMHOST;
	if (H("SwitchType") && (H("NetAdapterInterfaceDescription") || H("IovEnabled") || H("EmbeddedTeamingEnabled")))
		return HV_K_VMSWITCH;
	if (H("VMName") && (H("SwitchName") || H("IovWeight") || H("IsManagementOs")))
		return HV_K_VMNETWORKADAPTER;
	if (H("FunctionID"))
		return HV_K_NETADAPTERSRIOVVF;
	if (H("NumVFs") || H("SriovSupport") || H("NumAllocatedVFs"))
		return HV_K_NETADAPTERSRIOV;
	if (H("Team") && (H("AdministrativeMode") || H("OperationalMode")))
		return HV_K_NETLBFOTEAMMEMBER;
	if (H("Team") && (H("VlanID") || H("Primary") || H("Default")))
		return HV_K_NETLBFOTEAMNIC;
	if (H("TeamingMode") || H("LoadBalancingAlgorithm"))
		return HV_K_NETLBFOTEAM;
	if (H("InterfaceDescription") && (H("MacAddress") || H("LinkLayerAddress") || H("ifIndex") || H("InterfaceIndex")))
		return HV_K_NETADAPTER;
	if (H("cmdlet") && H("error"))
		return HV_K_ERRORS;
#undef H
	return -1;
}

/* ---- one mapping per kind ------------------------------------------------- */

static void map_vmhost(struct rd *r, const json_t *o)
{
	struct vs cn = { 0 };
	get_s(r, o, "ComputerName", &cn);
	if (!VS_KNOWN(cn))
		get_s(r, o, "Name", &cn);
	if (VS_KNOWN(cn)) /* the host's own name wins over any other guess */
		vs_set(&r->v->computer_name, cn.v, SRC);
	vs_free(&cn);
	get_b(r, o, "IovSupport", &r->v->host_iov_support);
	get_list(r, o, "IovSupportReasons", &r->v->host_iov_support_reasons);
}

static void map_switch(struct rd *r, const json_t *o)
{
	struct hv_switch *s = hv_add_switch(r->v);
	if (!s)
		return;
	get_s(r, o, "Name", &s->name);
	get_s(r, o, "Id", &s->id);
	get_e(r, o, "SwitchType", &s->switch_type, hv_switch_type_names, true);
	get_b(r, o, "IovEnabled", &s->iov_enabled);
	get_b(r, o, "IovSupport", &s->iov_support);
	get_list(r, o, "IovSupportReasons", &s->iov_support_reasons);
	get_i(r, o, "IovVirtualFunctionCount", &s->iov_vf_count, 0, UINT32_MAX);
	get_i(r, o, "IovVirtualFunctionsInUse", &s->iov_vf_in_use, 0, UINT32_MAX);
	get_b(r, o, "EmbeddedTeamingEnabled", &s->embedded_teaming);
	get_s(r, o, "NetAdapterInterfaceDescription", &s->ifdesc);
	get_list(r, o, "NetAdapterInterfaceDescriptions", &s->ifdescs);
	computer_from(r, o);
}

static void vnic_status(struct rd *r, const json_t *o, struct hv_vnic *n)
{
	const json_t *p = ps_prop(o, "Status");
	if (!p || json_is_null(p))
		return;
	int64_t vals[HV_MAX_STATUS];
	size_t nv = 0;
	if (json_is_array(p)) {
		size_t i;
		json_t *e;
		json_array_foreach(p, i, e) {
			int64_t v;
			if (ps_enum_value(e, hv_vnic_status_names, &v) <= 0 || v < 0 || v > UINT16_MAX) {
				bad(r, "Status");
				return;
			}
			if (nv < HV_MAX_STATUS)
				vals[nv++] = v;
		}
	} else {
		int64_t v;
		if (ps_enum_value(p, hv_vnic_status_names, &v) <= 0 || v < 0 || v > UINT16_MAX) {
			bad(r, "Status");
			return;
		}
		vals[nv++] = v;
	}
	memcpy(n->status, vals, nv * sizeof(vals[0]));
	n->nstatus = nv;
	n->status_src = SRC;
}

static void map_vnic(struct rd *r, const json_t *o)
{
	struct hv_vnic *n = hv_add_vnic(r->v);
	if (!n)
		return;
	get_s(r, o, "VMName", &n->vm_name);
	get_s(r, o, "Name", &n->name);
	get_s(r, o, "SwitchName", &n->switch_name);
	get_mac(r, o, "MacAddress", &n->mac);
	get_b(r, o, "IsManagementOs", &n->is_management_os);
	get_b(r, o, "Connected", &n->connected);
	get_e(r, o, "AllowTeaming", &n->allow_teaming, hv_onoff_names, true);
	get_e(r, o, "MacAddressSpoofing", &n->mac_spoofing, hv_onoff_names, true);
	get_i(r, o, "IovWeight", &n->iov_weight, 0, 100);
	get_i(r, o, "IovUsage", &n->iov_usage, 0, UINT32_MAX);
	get_i(r, o, "IovQueuePairsRequested", &n->iov_qp_requested, 0, UINT32_MAX);
	get_i(r, o, "IovQueuePairsAssigned", &n->iov_qp_assigned, 0, UINT32_MAX);
	const json_t *vf = ps_prop(o, "VirtualFunction");
	if (vf && json_is_null(vf)) {
		vi_set(&n->vf_present, 0, SRC);
	} else if (vf && (json_is_object(vf) || json_is_string(vf))) {
		/* an object, or one ConvertTo-Json cut to its type name at -Depth */
		vi_set(&n->vf_present, 1, SRC);
		if (json_is_string(vf))
			get_s(r, o, "VirtualFunction", &n->vf);
	} else if (vf) {
		bad(r, "VirtualFunction");
	}
	get_b(r, o, "VFDataPathActive", &n->vf_datapath_active);
	vnic_status(r, o, n);
	get_list(r, o, "StatusDescription", &n->status_desc);
	computer_from(r, o);
}

/* The adapter an object names (Name, else InterfaceDescription), added when new. */
static struct hv_nic *nic_for(struct rd *r, const json_t *o)
{
	const char *name = ref_name(o, "Name");
	const char *desc = ref_name(o, "InterfaceDescription");
	char bn[HV_MAX_STR + 1] = "", bd[HV_MAX_STR + 1] = "";
	if (name)
		vfs_sanitize(bn, sizeof(bn), name);
	if (desc)
		vfs_sanitize(bd, sizeof(bd), desc);
	int i = bn[0] ? hv_find_nic_name(r->v, bn) : -1;
	if (i < 0 && bd[0]) {
		i = hv_find_nic_ifdesc(r->v, bd);
		/* two adapters may not share a description; a different name is another adapter */
		if (i >= 0 && bn[0] && VS_KNOWN(r->v->nics[i].name) && strcasecmp(r->v->nics[i].name.v, bn))
			i = -1;
	}
	return i >= 0 ? &r->v->nics[i] : hv_add_nic(r->v);
}

static void map_netadapter(struct rd *r, const json_t *o)
{
	struct hv_nic *n = nic_for(r, o);
	if (!n)
		return;
	get_s(r, o, "Name", &n->name);
	if (!VS_KNOWN(n->name))
		get_s(r, o, "InterfaceAlias", &n->name);
	get_s(r, o, "InterfaceDescription", &n->ifdesc);
	get_mac(r, o, "MacAddress", &n->mac);
	if (!VS_KNOWN(n->mac))
		get_mac(r, o, "LinkLayerAddress", &n->mac);
	get_s(r, o, "Status", &n->status);
	get_e(r, o, "MediaConnectionState", &n->media_state, hv_media_state_names, true);
	if (!VI_KNOWN(n->media_state))
		get_e(r, o, "MediaConnectState", &n->media_state, hv_media_state_names, true);
	get_i(r, o, "ifIndex", &n->ifindex, 0, UINT32_MAX);
	if (!VI_KNOWN(n->ifindex))
		get_i(r, o, "InterfaceIndex", &n->ifindex, 0, UINT32_MAX);
	get_i(r, o, "Speed", &n->speed, 0, INT64_MAX);
	if (!VI_KNOWN(n->speed))
		get_i(r, o, "ReceiveLinkSpeed", &n->speed, 0, INT64_MAX);
	get_b(r, o, "Virtual", &n->is_virtual);
	get_s(r, o, "DriverDescription", &n->driver_desc);
	computer_from(r, o);
}

static void map_sriov(struct rd *r, const json_t *o)
{
	struct hv_nic *n = nic_for(r, o);
	if (!n)
		return;
	if (!VS_KNOWN(n->name))
		get_s(r, o, "Name", &n->name);
	if (!VS_KNOWN(n->ifdesc))
		get_s(r, o, "InterfaceDescription", &n->ifdesc);
	vi_set(&n->sriov_seen, 1, SRC);
	get_b(r, o, "Enabled", &n->sriov_enabled);
	const json_t *ss = ps_prop(o, "SriovSupport");
	int64_t sv;
	if (ss && json_is_string(ss) && hv_enum_value(hv_sriov_support_names, json_string_value(ss), &sv))
		get_s(r, o, "SriovSupport", &n->sriov_support_name); /* a name whose number is not documented */
	else
		get_e(r, o, "SriovSupport", &n->sriov_support, hv_sriov_support_names, false);
	get_i(r, o, "NumVFs", &n->num_vfs, 0, UINT32_MAX);
	get_i(r, o, "NumAllocatedVFs", &n->num_allocated_vfs, 0, UINT32_MAX);
	get_s(r, o, "SwitchName", &n->sriov_switch_name);
	computer_from(r, o);
}

static void map_vf(struct rd *r, const json_t *o)
{
	struct hv_vf *f = hv_add_vf(r->v);
	if (!f)
		return;
	get_s(r, o, "Name", &f->pf_name);
	get_s(r, o, "InterfaceDescription", &f->pf_ifdesc);
	get_i(r, o, "FunctionID", &f->function_id, 0, UINT16_MAX);
	get_i(r, o, "SwitchID", &f->switch_id, 0, UINT32_MAX);
	get_s(r, o, "SwitchName", &f->switch_name);
	get_s(r, o, "VmFriendlyName", &f->vm_name);
	get_s(r, o, "VmID", &f->vm_id);
	get_s(r, o, "VmNicID", &f->vmnic_id);
	get_mac(r, o, "CurrentMacAddress", &f->cur_mac);
	get_mac(r, o, "PermanentMacAddress", &f->perm_mac);
	computer_from(r, o);
}

static struct hv_team *team_for(struct rd *r, const char *name)
{
	char b[HV_MAX_STR + 1];
	vfs_sanitize(b, sizeof(b), name);
	if (!b[0])
		return NULL;
	int i = hv_find_team(r->v, b);
	return i >= 0 ? &r->v->teams[i] : hv_add_team(r->v, b, SRC);
}

static void map_team(struct rd *r, const json_t *o)
{
	const char *name = ref_name(o, "Name");
	struct hv_team *t = name ? team_for(r, name) : NULL;
	if (!t) {
		bad(r, "Name");
		return;
	}
	get_e(r, o, "TeamingMode", &t->teaming_mode, hv_teaming_mode_names, true);
	get_e(r, o, "LoadBalancingAlgorithm", &t->lb_algo, hv_lb_algo_names, true);
	get_e(r, o, "Status", &t->status, hv_team_status_names, true);
	get_list(r, o, "Members", &t->member_names);
	get_list(r, o, "TeamNics", &t->tnic_names);
	computer_from(r, o);
}

static void map_member(struct rd *r, const json_t *o)
{
	const char *team = ref_name(o, "Team");
	struct hv_team *t = team ? team_for(r, team) : NULL;
	if (!t) {
		bad(r, "Team");
		return;
	}
	struct hv_member *mb = hv_team_add_member(t);
	if (!mb)
		return;
	get_s(r, o, "Name", &mb->name);
	vs_set(&mb->team, t->name.v, SRC);
	get_s(r, o, "InterfaceDescription", &mb->ifdesc);
	get_e(r, o, "AdministrativeMode", &mb->admin_mode, hv_admin_mode_names, true);
	/* the CIM property is OperationalMode; list views print it as OperationalStatus */
	get_e(r, o, "OperationalMode", &mb->oper_mode, hv_oper_mode_names, true);
	if (!VI_KNOWN(mb->oper_mode))
		get_e(r, o, "OperationalStatus", &mb->oper_mode, hv_oper_mode_names, true);
	get_e(r, o, "FailureReason", &mb->failure_reason, hv_failure_reason_names, false);
	get_i(r, o, "TransmitLinkSpeed", &mb->tx_speed, 0, INT64_MAX);
	get_i(r, o, "ReceiveLinkSpeed", &mb->rx_speed, 0, INT64_MAX);
	computer_from(r, o);
}

static void map_tnic(struct rd *r, const json_t *o)
{
	const char *team = ref_name(o, "Team");
	struct hv_team *t = team ? team_for(r, team) : NULL;
	const char *name = ref_name(o, "Name");
	if (!t || !name) {
		bad(r, t ? "Name" : "Team");
		return;
	}
	char b[HV_MAX_STR + 1];
	vfs_sanitize(b, sizeof(b), name);
	for (size_t i = 0; i < t->tnic_names.n; i++)
		if (!strcasecmp(t->tnic_names.v[i].v, b))
			return;
	hv_strlist_add(&t->tnic_names, b, SRC);
}

static void map_collect(struct rd *r, const json_t *o)
{
	struct vs cn = { 0 };
	get_s(r, o, "computer", &cn);
	if (VS_KNOWN(cn) && !VS_KNOWN(r->v->computer_name))
		vs_set(&r->v->computer_name, cn.v, SRC);
	vs_free(&cn);
	get_s(r, o, "ps_version", &r->v->ps_version);
	get_s(r, o, "role", &r->v->collect_role);
	char t[64];
	int64_t ms;
	struct tm tm;
	if (ps_get_date_ms(o, "time", &ms) > 0 && ms > 0) {
		r->m->time_ns = (uint64_t)ms * 1000000ull;
	} else if (ps_get_str(o, "time", t, sizeof(t)) > 0) {
		memset(&tm, 0, sizeof(tm));
		const char *end = strptime(t, "%Y-%m-%dT%H:%M:%S", &tm);
		if (end && (*end == 'Z' || !*end)) {
			time_t s = timegm(&tm);
			if (s > 0)
				r->m->time_ns = (uint64_t)s * 1000000000ull;
		}
	}
}

static void map_errors(struct rd *r, const json_t *o)
{
	char c[128], e[400];
	if (ps_get_str(o, "cmdlet", c, sizeof(c)) > 0 && ps_get_str(o, "error", e, sizeof(e)) > 0)
		machine_warn(r->m, "hyperv: %s failed: %s", c, e);
}

static void (*const mappers[HV_K_MAX])(struct rd *, const json_t *) = {
	[HV_K_VMHOST] = map_vmhost, [HV_K_VMSWITCH] = map_switch, [HV_K_VMNETWORKADAPTER] = map_vnic,
	[HV_K_NETADAPTER] = map_netadapter, [HV_K_NETADAPTERSRIOV] = map_sriov,
	[HV_K_NETADAPTERSRIOVVF] = map_vf, [HV_K_NETLBFOTEAM] = map_team,
	[HV_K_NETLBFOTEAMMEMBER] = map_member, [HV_K_NETLBFOTEAMNIC] = map_tnic,
	[HV_K_COLLECT] = map_collect, [HV_K_ERRORS] = map_errors,
};

/* ---- one file -------------------------------------------------------------- */

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool ends_ci(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcasecmp(s + a - b, tail);
}

/* The kind a file's name says ("Get-VMSwitch.json", "NetLbfoTeam.json"),
 * for an empty array only: it has no objects to recognise. */
static int kind_from_name(const char *path)
{
	char b[64];
	const char *n = base_name(path);
	if (!strncasecmp(n, "Get-", 4))
		n += 4;
	vfs_strlcpy(b, n, sizeof(b));
	char *dot = strrchr(b, '.');
	if (dot)
		*dot = 0;
	return hv_kind_parse(b);
}

/* Does this look like a file meant as JSON? (.json, or starts like JSON
 * or with a byte order mark); other files in an export folder are skipped. */
static bool json_candidate(const char *name, const uint8_t *buf, size_t len)
{
	if (ends_ci(name, ".json"))
		return true;
	size_t i = 0;
	if (len >= 2 && ((buf[0] == 0xff && buf[1] == 0xfe) || (buf[0] == 0xfe && buf[1] == 0xff)))
		return true;
	if (len >= 3 && buf[0] == 0xef && buf[1] == 0xbb && buf[2] == 0xbf)
		return true;
	while (i < len && i < 64 && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	return i < len && (buf[i] == '[' || buf[i] == '{');
}

static void file_set(struct hv_file *f, int status, const char *detail)
{
	f->status = status;
	free(f->detail);
	f->detail = detail && *detail ? vfs_xstrdup(detail) : NULL;
}

int hyperv_read_file(struct machine *m, struct hv_view *v, const char *name, const uint8_t *buf, size_t len,
		     char *err, size_t errlen)
{
	char nm[256];
	vfs_sanitize(nm, sizeof(nm), name ? name : "");
	struct hv_file *f = hv_add_file(v, nm);
	if (!f) {
		snprintf(err, errlen, "%s: more than %d files", nm, HV_MAX_ITEMS);
		return -E2BIG;
	}
	if (!json_candidate(nm, buf, len)) {
		file_set(f, SOURCE_SKIPPED, "not a JSON export");
		return 1;
	}
	const char *enc = NULL;
	char why[256] = "";
	if (!len) {
		file_set(f, SOURCE_FAILED, "empty file");
		snprintf(err, errlen, "%s: empty file", nm);
		return -ENODATA;
	}
	json_t *j = ps_json_load(buf, len, &enc, why, sizeof(why));
	f->encoding = enc ? vfs_xstrdup(enc) : NULL;
	if (!j) {
		file_set(f, SOURCE_FAILED, why);
		snprintf(err, errlen, "%s: %s", nm, why);
		return -EBADMSG;
	}
	size_t n = json_array_size(j);
	if (n > HV_MAX_ITEMS) {
		snprintf(why, sizeof(why), "%zu objects (at most %d of one kind are read)", n, HV_MAX_ITEMS);
		file_set(f, SOURCE_FAILED, why);
		snprintf(err, errlen, "%s: %s", nm, why);
		json_decref(j);
		return -E2BIG;
	}
	int kind = -1;
	for (size_t i = 0; i < n && kind < 0; i++)
		kind = hyperv_kind_of(json_array_get(j, i));
	if (!n) {
		kind = kind_from_name(nm);
		if (kind >= 0) {
			f->kind = vfs_xstrdup(hv_kind_name(kind));
			v->have |= 1u << kind;
			file_set(f, SOURCE_OK, "no objects (the cmdlet returned none)");
		} else {
			file_set(f, SOURCE_SKIPPED, "an empty list, and the name does not say of what");
		}
		json_decref(j);
		return kind >= 0 ? 0 : 1;
	}
	if (kind < 0) {
		file_set(f, SOURCE_SKIPPED, "no objects of a kind vfscope reads");
		json_decref(j);
		return 1;
	}
	struct rd r = { .v = v, .m = m };
	size_t other = 0, nonobj = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(j, i);
		if (!json_is_object(o)) {
			nonobj++;
			continue;
		}
		int k = hyperv_kind_of(o);
		if (k >= 0 && k != kind) {
			other++;
			continue;
		}
		mappers[kind](&r, o);
	}
	json_decref(j);
	f->kind = vfs_xstrdup(hv_kind_name(kind));
	f->objects = n;
	v->have |= 1u << kind;
	char d[400] = "";
	size_t dl = 0;
	if (r.bad)
		dl += (size_t)snprintf(d + dl, sizeof(d) - dl, "%zu value(s) of an unexpected type left unknown (%s)",
				       r.bad, r.badnames);
	if (other && dl < sizeof(d))
		dl += (size_t)snprintf(d + dl, sizeof(d) - dl, "%s%zu object(s) of another kind ignored",
				       dl ? "; " : "", other);
	if (nonobj && dl < sizeof(d))
		snprintf(d + dl, sizeof(d) - dl, "%s%zu element(s) that are not objects ignored", dl ? "; " : "", nonobj);
	file_set(f, r.bad || other || nonobj ? SOURCE_PARTIAL : SOURCE_OK, d);
	return 0;
}

/* ---- folders, roles, machines ---------------------------------------------- */

struct group {
	char dir[256];        /* "", "host", "guests/VM", "X" */
	char path[512];       /* the export path and dir, for the machine's root */
	struct machine *m;
	struct hv_view *v;
};

static bool view_is_host(const struct hv_view *v)
{
	if (HV_HAVE(v, HV_K_VMHOST) || HV_HAVE(v, HV_K_VMSWITCH) || HV_HAVE(v, HV_K_VMNETWORKADAPTER))
		return true;
	bool content = v->have & ~((1u << HV_K_COLLECT) | (1u << HV_K_ERRORS));
	return !content && VS_KNOWN(v->collect_role) && !strcasecmp(v->collect_role.v, "host");
}

static const char *vm_of_dir(const char *dir)
{
	if (!strncmp(dir, "guests/", 7))
		return dir + 7;
	return dir;
}

/* Source entry and final role/label of a group's machine. */
static void finish(struct group *g, bool host, const char *label)
{
	struct machine *m = g->m;
	struct hv_view *v = g->v;
	v->is_guest = !host;
	free(m->role);
	m->role = vfs_xstrdup(host ? "host" : "guest");
	free(m->label);
	m->label = vfs_xstrdup(label);
	if (VS_KNOWN(v->computer_name))
		vs_set(&m->hostname, v->computer_name.v, SRC);
	size_t bad = 0, read = 0;
	char first[300] = "";
	for (size_t i = 0; i < v->nfiles; i++) {
		if (v->files[i].status == SOURCE_OK || v->files[i].status == SOURCE_PARTIAL)
			read++;
		if (v->files[i].status == SOURCE_PARTIAL && !bad++)
			snprintf(first, sizeof(first), "%s: %s", v->files[i].name,
				 v->files[i].detail ? v->files[i].detail : "");
	}
	if (bad)
		machine_add_source(m, "hyperv", SOURCE_PARTIAL, "%zu file(s) read, %zu with values left unknown; %s",
				   read, bad, first);
	else
		machine_add_source(m, "hyperv", SOURCE_OK, "%zu file(s) read", read);
	m->hyperv = v;
	g->v = NULL;
	if (g->path[0]) {
		free(m->root);
		m->root = vfs_xstrdup(g->path);
	}
	hv_mirror(m);
}

static void groups_free(struct group *g, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		machine_free(g[i].m);
		hv_free(g[i].v);
	}
	free(g);
}

/* Read every file of x into groups by folder. 0, or -errno with err. */
static int read_groups(struct ps_export *x, const char *path, bool one_folder, struct group **out, size_t *nout,
		       char *err, size_t errlen)
{
	/* a zip of a folder holds the folder: read inside it */
	const char *strip = NULL;
	size_t sl = 0;
	bool at_top = false;
	for (size_t i = 0; i < x->nfiles; i++)
		if (!strchr(x->files[i].path, '/'))
			at_top = true;
	if (!at_top && x->nfiles) {
		const char *p0 = x->files[0].path;
		sl = strcspn(p0, "/");
		strip = p0;
		for (size_t i = 1; i < x->nfiles && strip; i++)
			if (strncmp(x->files[i].path, p0, sl) || x->files[i].path[sl] != '/')
				strip = NULL;
		if (strip && ((sl == 4 && !strncmp(p0, "host", 4)) || (sl == 6 && !strncmp(p0, "guests", 6))))
			strip = NULL;
	}
	struct group *g = NULL;
	size_t ng = 0, cap = 0, skipped_deep = 0;
	for (size_t i = 0; i < x->nfiles; i++) {
		const char *rel = strip ? x->files[i].path + sl + 1 : x->files[i].path;
		const char *slash = strrchr(rel, '/');
		char dir[256] = "";
		if (slash && (size_t)(slash - rel) < sizeof(dir)) {
			memcpy(dir, rel, (size_t)(slash - rel));
			dir[slash - rel] = 0;
		}
		/* "", "host", "guests/VM", "X"; a single guest folder only its top */
		int levels = 0;
		for (const char *c = dir; *c; c++)
			levels += *c == '/';
		bool ok = !dir[0] || (!one_folder && (levels == 0 || (levels == 1 && !strncmp(dir, "guests/", 7))));
		if (!ok || (slash && !dir[0])) {
			skipped_deep++;
			continue;
		}
		size_t gi = 0;
		while (gi < ng && strcmp(g[gi].dir, dir))
			gi++;
		if (gi == ng) {
			VFS_PUSH(g, ng, cap);
			memset(&g[ng], 0, sizeof(g[ng]));
			vfs_strlcpy(g[ng].dir, dir, sizeof(g[ng].dir));
			snprintf(g[ng].path, sizeof(g[ng].path), "%s%s%s", path, dir[0] ? "/" : "", dir);
			g[ng].m = machine_new("guest");
			g[ng].v = hv_new(false);
			ng++;
		}
		const struct ps_file *f = &x->files[i];
		int r = f->err;
		char why[400] = "";
		if (r)
			snprintf(why, sizeof(why), "%s: %s", rel, f->why);
		else
			r = hyperv_read_file(g[gi].m, g[gi].v, rel, f->data, f->len, why, sizeof(why));
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", path, why);
			groups_free(g, ng);
			return r;
		}
	}
	/* folders with nothing vfscope reads are not machines */
	size_t keep = 0;
	for (size_t i = 0; i < ng; i++) {
		if (g[i].v->have & ~((1u << HV_K_COLLECT) | (1u << HV_K_ERRORS)) || VS_KNOWN(g[i].v->collect_role)) {
			g[keep++] = g[i];
		} else {
			machine_free(g[i].m);
			hv_free(g[i].v);
		}
	}
	ng = keep;
	if (!ng) {
		snprintf(err, errlen, "%s: no PowerShell export recognised in %zu file(s)%s%s", path, x->nfiles,
			 x->skipped ? "; " : "", x->skipped ? x->skipped_why : "");
		free(g);
		return -ENOENT;
	}
	for (size_t i = 0; i < ng && (x->skipped || skipped_deep); i++)
		machine_warn(g[i].m, "hyperv: %zu file(s) in %s not read (%s)", x->skipped + skipped_deep, path,
			     x->skipped ? x->skipped_why : "in folders other than host/ and guests/VM/");
	*out = g;
	*nout = ng;
	return 0;
}

struct machine *hyperv_load(const char *path, char *err, size_t errlen)
{
	struct ps_export x;
	if (ps_export_open(path, &x, err, errlen) < 0)
		return NULL;
	struct group *g = NULL;
	size_t ng = 0;
	int r = read_groups(&x, path, false, &g, &ng, err, errlen);
	ps_export_free(&x);
	if (r < 0)
		return NULL;
	int host = -1;
	for (size_t i = 0; i < ng; i++) {
		if (!view_is_host(g[i].v))
			continue;
		if (host >= 0) {
			snprintf(err, errlen, "%s: two host exports, in '%s' and '%s'", path,
				 g[host].dir[0] ? g[host].dir : ".", g[i].dir[0] ? g[i].dir : ".");
			groups_free(g, ng);
			return NULL;
		}
		host = (int)i;
	}
	struct machine *hm;
	if (host >= 0) {
		struct group *h = &g[host];
		finish(h, true, VS_KNOWN(h->v->computer_name) ? h->v->computer_name.v : "hyper-v host");
		hm = h->m;
		h->m = NULL;
	} else {
		hm = machine_new("host");
		free(hm->label);
		hm->label = vfs_xstrdup("hyper-v host");
		machine_add_source(hm, "hyperv", SOURCE_SKIPPED, "no host export in %s (guest exports only)", path);
	}
	free(hm->root);
	hm->root = vfs_xstrdup(path);
	for (size_t i = 0; i < ng; i++) {
		if ((int)i == host)
			continue;
		const char *vm = g[i].dir[0] ? vm_of_dir(g[i].dir)
					     : VS_KNOWN(g[i].v->computer_name) ? g[i].v->computer_name.v : "guest";
		char label[256];
		vfs_strlcpy(label, vm, sizeof(label));
		finish(&g[i], false, label);
		machine_add_guest(hm, g[i].m);
		g[i].m = NULL;
	}
	groups_free(g, ng);
	hv_link(hm);
	return hm;
}

int hyperv_add_guest(struct machine *host, const char *spec, char *err, size_t errlen)
{
	char vm[256] = "";
	const char *path = spec;
	const char *eq = strchr(spec, '=');
	if (access(spec, F_OK) && eq && eq != spec) {
		size_t n = (size_t)(eq - spec);
		if (n >= sizeof(vm)) {
			snprintf(err, errlen, "%s: VM name too long", spec);
			return -EINVAL;
		}
		memcpy(vm, spec, n);
		vm[n] = 0;
		path = eq + 1;
	} else {
		char b[256];
		vfs_strlcpy(b, spec, sizeof(b));
		size_t l = strlen(b);
		while (l > 1 && b[l - 1] == '/')
			b[--l] = 0;
		vfs_strlcpy(vm, base_name(b), sizeof(vm));
		if (ends_ci(vm, ".zip"))
			vm[strlen(vm) - 4] = 0;
	}
	char v2[256];
	vfs_sanitize(v2, sizeof(v2), vm);
	if (!v2[0]) {
		snprintf(err, errlen, "%s: no VM name (give VMNAME=PATH)", spec);
		return -EINVAL;
	}
	struct ps_export x;
	int r = ps_export_open(path, &x, err, errlen);
	if (r < 0)
		return r;
	struct group *g = NULL;
	size_t ng = 0;
	r = read_groups(&x, path, true, &g, &ng, err, errlen);
	ps_export_free(&x);
	if (r < 0)
		return r;
	if (ng != 1 || view_is_host(g[0].v)) {
		snprintf(err, errlen, "%s: %s", path, ng != 1 ? "more than one export folder" :
			 "a Hyper-V host's export (VMSwitch/VMNetworkAdapter objects), not a guest's: give it to --hyperv");
		groups_free(g, ng);
		return -EINVAL;
	}
	finish(&g[0], false, v2);
	machine_add_guest(host, g[0].m);
	g[0].m = NULL;
	groups_free(g, ng);
	hv_link(host);
	return 0;
}

struct machine *hyperv_load_all(const char *path, const char *const *guests, int n, char *err, size_t errlen)
{
	struct machine *m = hyperv_load(path, err, errlen);
	for (int i = 0; m && i < n; i++) {
		char e[600];
		if (hyperv_add_guest(m, guests[i], e, sizeof(e)) < 0) {
			snprintf(err, errlen, "--hyperv-guest %s", e);
			machine_free(m);
			m = NULL;
		}
	}
	return m;
}
