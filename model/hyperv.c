/* The Hyper-V view: enumeration tables, constructors, lookups and the
 * links from a guest team member down to the host's physical NIC.
 * See model/hyperv.h for what each value means and where it comes from. */
#include "model/hyperv.h"
#include "lib/util.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Values from Microsoft's documentation; the page each table rests on is
 * named beside its enum in model/hyperv.h. */
const struct hv_enum hv_onoff_names[] = { { HV_ON, "On" }, { HV_OFF, "Off" }, { 0, NULL } };
const struct hv_enum hv_teaming_mode_names[] = {
	{ HV_TM_STATIC, "Static" }, { HV_TM_SWITCH_INDEPENDENT, "SwitchIndependent" }, { HV_TM_LACP, "Lacp" },
	{ 0, NULL },
};
const struct hv_enum hv_lb_algo_names[] = {
	{ HV_LB_TRANSPORT_PORTS, "TransportPorts" }, { HV_LB_IP_ADDRESSES, "IPAddresses" },
	{ HV_LB_MAC_ADDRESSES, "MacAddresses" }, { HV_LB_HYPERV_PORT, "HyperVPort" }, { HV_LB_DYNAMIC, "Dynamic" },
	{ 0, NULL },
};
const struct hv_enum hv_team_status_names[] = {
	{ HV_TS_UP, "Up" }, { HV_TS_DOWN, "Down" }, { HV_TS_DEGRADED, "Degraded" }, { 0, NULL },
};
const struct hv_enum hv_admin_mode_names[] = { { HV_AM_ACTIVE, "Active" }, { HV_AM_STANDBY, "Standby" }, { 0, NULL } };
const struct hv_enum hv_oper_mode_names[] = {
	{ HV_OM_ACTIVE, "Active" }, { HV_OM_STANDBY, "Standby" }, { HV_OM_FAILED, "Failed" }, { 0, NULL },
};
const struct hv_enum hv_failure_reason_names[] = {
	{ HV_FR_NO_FAILURE, "NoFailure" }, { HV_FR_ADMINISTRATIVE_DECISION, "AdministrativeDecision" },
	{ HV_FR_PHYSICAL_MEDIA_DISCONNECTED, "PhysicalMediaDisconnected" },
	{ HV_FR_WAITING_FOR_STABLE_CONNECTIVITY, "WaitingForStableConnectivity" },
	{ HV_FR_LACP_NEGOTIATION_ISSUE, "LacpNegotiationIssue" }, { HV_FR_NIC_NOT_PRESENT, "NicNotPresent" },
	{ HV_FR_UNKNOWN_FAILURE, "UnknownFailure" },
	{ HV_FR_VSWITCH_LACKS_EXTERNAL_CONNECTIVITY, "VirtualSwitchLacksExternalConnectivity" },
	{ 0, NULL },
};
/* Microsoft.HyperV.PowerShell.VMNetworkAdapterOperationalStatus, as the
 * Hyper-V module declares it (Ok = 2 ... ProtocolVersion = 32775). */
const struct hv_enum hv_vnic_status_names[] = {
	{ 0, "Unknown" }, { 1, "Other" }, { 2, "Ok" }, { 3, "Degraded" }, { 4, "Stressed" },
	{ 5, "PredictiveFailure" }, { 6, "Error" }, { 7, "NonRecoverableError" }, { 8, "Starting" },
	{ 9, "Stopping" }, { 10, "Stopped" }, { 11, "InService" }, { 12, "NoContact" },
	{ 13, "LostCommunication" }, { 14, "Aborted" }, { 15, "Dormant" }, { 16, "SupportingEntity" },
	{ 17, "Completed" }, { 18, "PowerMode" }, { 32775, "ProtocolVersion" }, { 0, NULL },
};
const struct hv_enum hv_sriov_support_names[] = { { 0, "Unknown" }, { 1, "Supported" }, { 0, NULL } };
const struct hv_enum hv_switch_type_names[] = {
	{ HV_SW_PRIVATE, "Private" }, { HV_SW_INTERNAL, "Internal" }, { HV_SW_EXTERNAL, "External" }, { 0, NULL },
};
const struct hv_enum hv_media_state_names[] = {
	{ HV_MS_UNKNOWN, "Unknown" }, { HV_MS_CONNECTED, "Connected" }, { HV_MS_DISCONNECTED, "Disconnected" },
	{ 0, NULL },
};

static const char *const kind_names[HV_K_MAX] = {
	[HV_K_VMHOST] = "VMHost", [HV_K_VMSWITCH] = "VMSwitch", [HV_K_VMNETWORKADAPTER] = "VMNetworkAdapter",
	[HV_K_NETADAPTER] = "NetAdapter", [HV_K_NETADAPTERSRIOV] = "NetAdapterSriov",
	[HV_K_NETADAPTERSRIOVVF] = "NetAdapterSriovVf", [HV_K_NETLBFOTEAM] = "NetLbfoTeam",
	[HV_K_NETLBFOTEAMMEMBER] = "NetLbfoTeamMember", [HV_K_NETLBFOTEAMNIC] = "NetLbfoTeamNic",
	[HV_K_COLLECT] = "collect", [HV_K_ERRORS] = "errors",
};

const char *hv_kind_name(int k)
{
	return k >= 0 && k < HV_K_MAX ? kind_names[k] : NULL;
}

int hv_kind_parse(const char *name)
{
	for (int k = 0; name && k < HV_K_MAX; k++)
		if (!strcasecmp(name, kind_names[k]))
			return k;
	return -1;
}

const char *hv_enum_name(const struct hv_enum *t, int64_t v)
{
	for (size_t i = 0; t && t[i].name; i++)
		if (t[i].v == v)
			return t[i].name;
	return NULL;
}

int hv_enum_value(const struct hv_enum *t, const char *name, int64_t *v)
{
	for (size_t i = 0; t && name && t[i].name; i++)
		if (!strcasecmp(t[i].name, name)) {
			*v = t[i].v;
			return 0;
		}
	return -ENOENT;
}

struct hv_view *hv_new(bool is_guest)
{
	struct hv_view *v = vfs_xcalloc(1, sizeof(*v));
	v->is_guest = is_guest;
	return v;
}

void hv_strlist_add(struct hv_strlist *l, const char *s, int src)
{
	if (!l->src)
		l->src = (uint8_t)src;
	if (!s || !*s || l->n >= HV_MAX_STRLIST)
		return;
	if (!l->v)
		l->v = vfs_xcalloc(HV_MAX_STRLIST, sizeof(*l->v));
	vs_set(&l->v[l->n++], s, src);
}

void hv_strlist_free(struct hv_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		vs_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *hv_strlist_join(const struct hv_strlist *l, char *buf, size_t len)
{
	if (!len)
		return buf;
	if (!l->src) {
		vfs_strlcpy(buf, "?", len);
		return buf;
	}
	buf[0] = 0;
	size_t used = 0;
	for (size_t i = 0; i < l->n && used + 1 < len; i++) {
		int w = snprintf(buf + used, len - used, "%s%s", i ? "; " : "", l->v[i].v ? l->v[i].v : "");
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

static void nic_free(struct hv_nic *n)
{
	vs_free(&n->name); vs_free(&n->ifdesc); vs_free(&n->mac); vs_free(&n->status);
	vs_free(&n->driver_desc); vs_free(&n->sriov_switch_name);
	vs_free(&n->sriov_support_name);
}

static void switch_free(struct hv_switch *s)
{
	vs_free(&s->name); vs_free(&s->id); vs_free(&s->ifdesc);
	hv_strlist_free(&s->iov_support_reasons);
	hv_strlist_free(&s->ifdescs);
}

static void vnic_free(struct hv_vnic *n)
{
	vs_free(&n->vm_name); vs_free(&n->name); vs_free(&n->switch_name); vs_free(&n->mac); vs_free(&n->vf);
	hv_strlist_free(&n->status_desc);
}

static void vf_free(struct hv_vf *f)
{
	vs_free(&f->pf_name); vs_free(&f->pf_ifdesc); vs_free(&f->switch_name); vs_free(&f->vm_name);
	vs_free(&f->vm_id); vs_free(&f->vmnic_id); vs_free(&f->cur_mac); vs_free(&f->perm_mac);
}

static void team_free(struct hv_team *t)
{
	vs_free(&t->name);
	hv_strlist_free(&t->member_names);
	hv_strlist_free(&t->tnic_names);
	for (size_t i = 0; i < t->nmembers; i++) {
		vs_free(&t->members[i].name);
		vs_free(&t->members[i].team);
		vs_free(&t->members[i].ifdesc);
	}
	free(t->members);
}

void hv_free(struct hv_view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nnics; i++)
		nic_free(&v->nics[i]);
	for (size_t i = 0; i < v->nswitches; i++)
		switch_free(&v->switches[i]);
	for (size_t i = 0; i < v->nvnics; i++)
		vnic_free(&v->vnics[i]);
	for (size_t i = 0; i < v->nvfs; i++)
		vf_free(&v->vfs[i]);
	for (size_t i = 0; i < v->nteams; i++)
		team_free(&v->teams[i]);
	for (size_t i = 0; i < v->nfiles; i++) {
		free(v->files[i].name);
		free(v->files[i].kind);
		free(v->files[i].encoding);
		free(v->files[i].detail);
	}
	vs_free(&v->computer_name);
	vs_free(&v->ps_version);
	vs_free(&v->collect_role);
	hv_strlist_free(&v->host_iov_support_reasons);
	free(v->nics);
	free(v->switches);
	free(v->vnics);
	free(v->vfs);
	free(v->teams);
	free(v->files);
	free(v);
}

#define HV_ADD(v, arr, n, cap)                                \
	do {                                                  \
		if ((v)->n >= HV_MAX_ITEMS)                   \
			return NULL;                          \
		VFS_PUSH((v)->arr, (v)->n, (v)->cap);         \
		memset(&(v)->arr[(v)->n], 0, sizeof((v)->arr[0])); \
	} while (0)

struct hv_nic *hv_add_nic(struct hv_view *v)
{
	HV_ADD(v, nics, nnics, cap_nics);
	struct hv_nic *n = &v->nics[v->nnics++];
	n->team_idx = n->switch_idx = -1;
	return n;
}

struct hv_switch *hv_add_switch(struct hv_view *v)
{
	HV_ADD(v, switches, nswitches, cap_switches);
	struct hv_switch *s = &v->switches[v->nswitches++];
	s->team_idx = -1;
	for (size_t i = 0; i < HV_MAX_STRLIST; i++)
		s->nic_idx[i] = -1;
	return s;
}

struct hv_vnic *hv_add_vnic(struct hv_view *v)
{
	HV_ADD(v, vnics, nvnics, cap_vnics);
	struct hv_vnic *n = &v->vnics[v->nvnics++];
	n->switch_idx = n->vf_idx = n->guest_idx = n->guest_team_idx = n->guest_member_idx = -1;
	return n;
}

struct hv_vf *hv_add_vf(struct hv_view *v)
{
	HV_ADD(v, vfs, nvfs, cap_vfs);
	struct hv_vf *f = &v->vfs[v->nvfs++];
	f->nic_idx = f->vnic_idx = -1;
	return f;
}

struct hv_team *hv_add_team(struct hv_view *v, const char *name, int src)
{
	HV_ADD(v, teams, nteams, cap_teams);
	struct hv_team *t = &v->teams[v->nteams++];
	vs_set(&t->name, name, src);
	return t;
}

struct hv_member *hv_team_add_member(struct hv_team *t)
{
	if (t->nmembers >= HV_MAX_ITEMS)
		return NULL;
	VFS_PUSH(t->members, t->nmembers, t->cap_members);
	struct hv_member *mb = &t->members[t->nmembers++];
	memset(mb, 0, sizeof(*mb));
	mb->nic_idx = mb->vnic_idx = -1;
	return mb;
}

struct hv_file *hv_add_file(struct hv_view *v, const char *name)
{
	HV_ADD(v, files, nfiles, cap_files);
	struct hv_file *f = &v->files[v->nfiles++];
	f->name = vfs_xstrdup(name ? name : "");
	return f;
}

const char *hv_mac_norm(const char *in, char *out, size_t outlen)
{
	uint8_t b[6];
	size_t nb = 0, i = 0;
	if (!in || outlen < 18)
		return NULL;
	while (in[i] && nb < 6) {
		if (!isxdigit((unsigned char)in[i]) || !isxdigit((unsigned char)in[i + 1]))
			return NULL;
		char h[3] = { in[i], in[i + 1], 0 };
		b[nb++] = (uint8_t)strtoul(h, NULL, 16);
		i += 2;
		if (nb < 6 && (in[i] == '-' || in[i] == ':' || in[i] == '.'))
			i++;
	}
	if (nb != 6 || in[i])
		return NULL;
	vfs_mac_format(b, out);
	return out;
}

static bool vs_eq(const struct vs *a, const char *b)
{
	return VS_KNOWN(*a) && b && *b && !strcmp(a->v, b);
}

static bool vs_eq_ci(const struct vs *a, const char *b)
{
	return VS_KNOWN(*a) && b && *b && !strcasecmp(a->v, b);
}

int hv_find_nic_name(const struct hv_view *v, const char *name)
{
	for (size_t i = 0; v && i < v->nnics; i++)
		if (vs_eq_ci(&v->nics[i].name, name))
			return (int)i;
	return -1;
}

int hv_find_nic_ifdesc(const struct hv_view *v, const char *d)
{
	for (size_t i = 0; v && i < v->nnics; i++)
		if (vs_eq_ci(&v->nics[i].ifdesc, d))
			return (int)i;
	return -1;
}

int hv_find_nic_mac(const struct hv_view *v, const char *mac)
{
	for (size_t i = 0; v && i < v->nnics; i++)
		if (vs_eq(&v->nics[i].mac, mac))
			return (int)i;
	return -1;
}

int hv_find_switch(const struct hv_view *v, const char *name)
{
	for (size_t i = 0; v && i < v->nswitches; i++)
		if (vs_eq_ci(&v->switches[i].name, name))
			return (int)i;
	return -1;
}

int hv_find_vnic_mac(const struct hv_view *v, const char *mac)
{
	for (size_t i = 0; v && i < v->nvnics; i++)
		if (vs_eq(&v->vnics[i].mac, mac))
			return (int)i;
	return -1;
}

int hv_find_team(const struct hv_view *v, const char *name)
{
	for (size_t i = 0; v && i < v->nteams; i++)
		if (vs_eq_ci(&v->teams[i].name, name))
			return (int)i;
	return -1;
}

int hv_vnic_status_ok(const struct hv_vnic *n)
{
	if (!n->status_src || !n->nstatus)
		return -1;
	for (size_t i = 0; i < n->nstatus; i++)
		if (n->status[i] != HV_VS_OK)
			return 0;
	return 1;
}

const struct hv_nic *hv_vnic_nic(const struct hv_view *host, const struct hv_vnic *n)
{
	if (!host || n->switch_idx < 0 || (size_t)n->switch_idx >= host->nswitches)
		return NULL;
	const struct hv_switch *s = &host->switches[n->switch_idx];
	for (size_t i = 0; i < s->nnic_idx; i++)
		if (s->nic_idx[i] >= 0 && (size_t)s->nic_idx[i] < host->nnics)
			return &host->nics[s->nic_idx[i]];
	return NULL;
}

const struct hv_nic *hv_member_nic(const struct hv_view *v, const struct hv_member *mb)
{
	return v && mb->nic_idx >= 0 && (size_t)mb->nic_idx < v->nnics ? &v->nics[mb->nic_idx] : NULL;
}

const struct hv_vnic *hv_member_vnic(const struct machine *host, const struct hv_member *mb)
{
	const struct hv_view *h = host ? host->hyperv : NULL;
	return h && mb->vnic_idx >= 0 && (size_t)mb->vnic_idx < h->nvnics ? &h->vnics[mb->vnic_idx] : NULL;
}

static bool strlist_has(const struct hv_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (vs_eq_ci(&l->v[i], s))
			return true;
	return false;
}

/* Links inside one view (host or guest). */
static void link_view(struct hv_view *v)
{
	for (size_t i = 0; i < v->nnics; i++) {
		struct hv_nic *n = &v->nics[i];
		n->team_idx = n->switch_idx = -1;
		for (size_t t = 0; t < v->nteams && n->team_idx < 0; t++) {
			const struct hv_team *tm = &v->teams[t];
			if (strlist_has(&tm->member_names, n->name.v))
				n->team_idx = (int)t;
			for (size_t j = 0; j < tm->nmembers && n->team_idx < 0; j++)
				if (vs_eq_ci(&n->name, tm->members[j].name.v))
					n->team_idx = (int)t;
		}
	}
	for (size_t t = 0; t < v->nteams; t++)
		for (size_t j = 0; j < v->teams[t].nmembers; j++) {
			struct hv_member *mb = &v->teams[t].members[j];
			mb->nic_idx = hv_find_nic_name(v, mb->name.v);
			if (mb->nic_idx < 0)
				mb->nic_idx = hv_find_nic_ifdesc(v, mb->ifdesc.v);
			mb->vnic_idx = -1;
		}
	for (size_t i = 0; i < v->nswitches; i++) {
		struct hv_switch *s = &v->switches[i];
		s->team_idx = -1;
		s->nnic_idx = 0;
		size_t nd = s->ifdescs.n ? s->ifdescs.n : VS_KNOWN(s->ifdesc) ? 1 : 0;
		for (size_t k = 0; k < nd && k < HV_MAX_STRLIST; k++) {
			const char *d = s->ifdescs.n ? s->ifdescs.v[k].v : s->ifdesc.v;
			int ni = hv_find_nic_ifdesc(v, d);
			s->nic_idx[s->nnic_idx++] = ni;
			if (ni < 0)
				continue;
			if (v->nics[ni].switch_idx < 0)
				v->nics[ni].switch_idx = (int)i;
			/* bound to a host team's team NIC (Get-NetLbfoTeam TeamNics / Get-NetLbfoTeamNic) */
			for (size_t t = 0; t < v->nteams && s->team_idx < 0; t++)
				if (strlist_has(&v->teams[t].tnic_names, v->nics[ni].name.v))
					s->team_idx = (int)t;
		}
	}
	for (size_t i = 0; i < v->nvnics; i++) {
		struct hv_vnic *n = &v->vnics[i];
		n->switch_idx = hv_find_switch(v, n->switch_name.v);
		n->vf_idx = n->guest_idx = n->guest_team_idx = n->guest_member_idx = -1;
	}
	for (size_t i = 0; i < v->nvfs; i++) {
		struct hv_vf *f = &v->vfs[i];
		f->nic_idx = hv_find_nic_name(v, f->pf_name.v);
		if (f->nic_idx < 0)
			f->nic_idx = hv_find_nic_ifdesc(v, f->pf_ifdesc.v);
		f->vnic_idx = -1;
		for (size_t j = 0; j < v->nvnics && f->vnic_idx < 0; j++) {
			struct hv_vnic *n = &v->vnics[j];
			/* a VF carries its vNIC's MAC; the VM name must not contradict it */
			if (!vs_eq(&n->mac, f->cur_mac.v))
				continue;
			if (VS_KNOWN(f->vm_name) && VS_KNOWN(n->vm_name) && strcasecmp(f->vm_name.v, n->vm_name.v))
				continue;
			f->vnic_idx = (int)j;
			if (n->vf_idx < 0)
				n->vf_idx = (int)i;
		}
	}
}

/* The host vNIC a guest adapter MAC belongs to: the MAC must match; among
 * several (a MAC reused across VMs), the one of the VM this guest is. */
static int vnic_for_guest_mac(const struct hv_view *h, const char *mac, const char *vm)
{
	int any = -1, n = 0;
	for (size_t i = 0; i < h->nvnics; i++) {
		if (!vs_eq(&h->vnics[i].mac, mac))
			continue;
		if (vm && vs_eq_ci(&h->vnics[i].vm_name, vm))
			return (int)i;
		any = (int)i;
		n++;
	}
	return n == 1 ? any : -1;
}

void hv_link(struct machine *host)
{
	if (!host)
		return;
	if (host->hyperv)
		link_view(host->hyperv);
	for (size_t g = 0; g < host->nguests; g++) {
		struct machine *gm = host->guests[g];
		if (!gm || !gm->hyperv)
			continue;
		struct hv_view *gv = gm->hyperv;
		link_view(gv);
		if (!host->hyperv)
			continue;
		for (size_t t = 0; t < gv->nteams; t++)
			for (size_t j = 0; j < gv->teams[t].nmembers; j++) {
				struct hv_member *mb = &gv->teams[t].members[j];
				const struct hv_nic *nic = hv_member_nic(gv, mb);
				if (!nic || !VS_KNOWN(nic->mac))
					continue;
				mb->vnic_idx = vnic_for_guest_mac(host->hyperv, nic->mac.v, gm->label);
				if (mb->vnic_idx < 0)
					continue;
				struct hv_vnic *vn = &host->hyperv->vnics[mb->vnic_idx];
				vn->guest_idx = (int)g;
				vn->guest_team_idx = (int)t;
				vn->guest_member_idx = (int)j;
			}
	}
}

static const char *member_state(const struct hv_member *mb)
{
	if (!VI_KNOWN(mb->oper_mode))
		return NULL;
	switch (mb->oper_mode.v) {
	case HV_OM_ACTIVE: return "active";
	case HV_OM_STANDBY: return "backup";
	case HV_OM_FAILED: return "failed";
	}
	return NULL;
}

void hv_mirror(struct machine *m)
{
	struct hv_view *v = m ? m->hyperv : NULL;
	if (!v)
		return;
	link_view(v);
	for (size_t t = 0; t < v->nteams; t++) {
		const struct hv_team *ht = &v->teams[t];
		if (!VS_KNOWN(ht->name))
			continue;
		struct team *gt = machine_add_team(m, ht->name.v);
		gt->name.src = ht->name.src;
		gt->driver = TEAM_LBFO;
		const char *s = VI_KNOWN(ht->teaming_mode) ? hv_enum_name(hv_teaming_mode_names, ht->teaming_mode.v) : NULL;
		vs_set(&gt->mode, s, ht->teaming_mode.src);
		s = VI_KNOWN(ht->lb_algo) ? hv_enum_name(hv_lb_algo_names, ht->lb_algo.v) : NULL;
		vs_set(&gt->xmit_hash_policy, s, ht->lb_algo.src);
		for (size_t j = 0; j < ht->nmembers; j++) {
			const struct hv_member *mb = &ht->members[j];
			if (!VS_KNOWN(mb->name))
				continue;
			struct member *gm = team_add_member(gt, mb->name.v);
			gm->name.src = mb->name.src;
			vs_set(&gm->state, member_state(mb), mb->oper_mode.src);
			const struct hv_nic *nic = hv_member_nic(v, mb);
			if (!nic)
				continue;
			if (VS_KNOWN(nic->mac))
				vs_set(&gm->cur_mac, nic->mac.v, nic->mac.src);
			if (VI_KNOWN(nic->media_state) && nic->media_state.v != HV_MS_UNKNOWN)
				vi_set(&gm->carrier, nic->media_state.v == HV_MS_CONNECTED, nic->media_state.src);
			if (VI_KNOWN(nic->speed) && nic->speed.v > 0)
				vi_set(&gm->speed, nic->speed.v / 1000000, nic->speed.src);
			if (VS_KNOWN(nic->driver_desc))
				vs_set(&gm->driver, nic->driver_desc.v, nic->driver_desc.src);
		}
	}
}
