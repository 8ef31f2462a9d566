/* The Hyper-V view as JSON (model/json_hyperv.h). One field table per item
 * drives writing and reading, so the two cannot drift apart. */
#include "model/json_hyperv.h"
#include "lib/util.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

enum ht { H_VI, H_VB, H_VS, H_SL };
struct hf { const char *name; enum ht t; size_t off; };
#define HI(s, f) { #f, H_VI, offsetof(struct s, f) }
#define HB(s, f) { #f, H_VB, offsetof(struct s, f) }
#define HS(s, f) { #f, H_VS, offsetof(struct s, f) }
#define HL(s, f) { #f, H_SL, offsetof(struct s, f) }

static const struct hf view_f[] = {
	HS(hv_view, computer_name), HS(hv_view, ps_version), HS(hv_view, collect_role),
	HB(hv_view, host_iov_support), HL(hv_view, host_iov_support_reasons),
};
static const struct hf nic_f[] = {
	HS(hv_nic, name), HS(hv_nic, ifdesc), HS(hv_nic, mac), HS(hv_nic, status), HI(hv_nic, media_state),
	HI(hv_nic, ifindex), HI(hv_nic, speed), HB(hv_nic, is_virtual), HS(hv_nic, driver_desc),
	HB(hv_nic, sriov_seen), HB(hv_nic, sriov_enabled), HI(hv_nic, sriov_support), HS(hv_nic, sriov_support_name),
	HI(hv_nic, num_vfs), HI(hv_nic, num_allocated_vfs), HS(hv_nic, sriov_switch_name),
};
static const struct hf switch_f[] = {
	HS(hv_switch, name), HS(hv_switch, id), HI(hv_switch, switch_type), HB(hv_switch, iov_enabled),
	HB(hv_switch, iov_support), HL(hv_switch, iov_support_reasons), HI(hv_switch, iov_vf_count),
	HI(hv_switch, iov_vf_in_use), HB(hv_switch, embedded_teaming), HS(hv_switch, ifdesc), HL(hv_switch, ifdescs),
};
static const struct hf vnic_f[] = {
	HS(hv_vnic, vm_name), HS(hv_vnic, name), HS(hv_vnic, switch_name), HS(hv_vnic, mac),
	HB(hv_vnic, is_management_os), HB(hv_vnic, connected), HI(hv_vnic, allow_teaming), HI(hv_vnic, mac_spoofing),
	HI(hv_vnic, iov_weight), HI(hv_vnic, iov_usage), HI(hv_vnic, iov_qp_requested), HI(hv_vnic, iov_qp_assigned),
	HB(hv_vnic, vf_present), HS(hv_vnic, vf), HB(hv_vnic, vf_datapath_active), HL(hv_vnic, status_desc),
};
static const struct hf vf_f[] = {
	HS(hv_vf, pf_name), HS(hv_vf, pf_ifdesc), HI(hv_vf, function_id), HI(hv_vf, switch_id), HS(hv_vf, switch_name),
	HS(hv_vf, vm_name), HS(hv_vf, vm_id), HS(hv_vf, vmnic_id), HS(hv_vf, cur_mac), HS(hv_vf, perm_mac),
};
static const struct hf team_f[] = {
	HS(hv_team, name), HI(hv_team, teaming_mode), HI(hv_team, lb_algo), HI(hv_team, status),
	HL(hv_team, member_names), HL(hv_team, tnic_names),
};
static const struct hf member_f[] = {
	HS(hv_member, name), HS(hv_member, team), HS(hv_member, ifdesc), HI(hv_member, admin_mode),
	HI(hv_member, oper_mode), HI(hv_member, failure_reason), HI(hv_member, tx_speed), HI(hv_member, rx_speed),
};

static void put(json_t *o, const void *base, const struct hf *f, size_t n)
{
	json_t *src = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *p = (const char *)base + f[i].off;
		uint8_t s = 0;
		json_t *v = NULL;
		if (f[i].t == H_VI || f[i].t == H_VB) {
			const struct vi *x = (const struct vi *)p;
			s = x->src;
			v = !s ? json_null() : f[i].t == H_VB ? json_boolean(x->v) : json_integer(x->v);
		} else if (f[i].t == H_VS) {
			const struct vs *x = (const struct vs *)p;
			s = VS_KNOWN(*x) ? x->src : 0;
			v = s ? json_string(x->v) : json_null();
		} else {
			const struct hv_strlist *l = (const struct hv_strlist *)p;
			s = l->src;
			if (s) {
				v = json_array();
				for (size_t k = 0; k < l->n; k++)
					if (VS_KNOWN(l->v[k]))
						json_array_append_new(v, json_string(l->v[k].v));
			} else {
				v = json_null();
			}
		}
		json_object_set_new(o, f[i].name, v);
		if (s)
			json_object_set_new(src, f[i].name, json_string(vfs_src_name(s)));
	}
	json_object_set_new(o, "src", src);
}

static int get(const json_t *o, void *base, const struct hf *f, size_t n, int ovr, char *err, size_t errlen)
{
	if (!json_is_object(o)) {
		snprintf(err, errlen, "not an object");
		return -EBADMSG;
	}
	const json_t *src = json_object_get(o, "src");
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)base + f[i].off;
		const json_t *v = json_object_get(o, f[i].name);
		if (!v || json_is_null(v))
			continue;
		int s = ovr ? ovr : vfs_src_parse(json_string_value(json_object_get(src, f[i].name)));
		if (!s)
			s = SRC_DERIVED;
		bool ok = true;
		if (f[i].t == H_VI) {
			ok = json_is_integer(v);
			if (ok)
				vi_set((struct vi *)p, json_integer_value(v), s);
		} else if (f[i].t == H_VB) {
			ok = json_is_boolean(v);
			if (ok)
				vi_set((struct vi *)p, json_is_true(v), s);
		} else if (f[i].t == H_VS) {
			ok = json_is_string(v) && json_string_length(v) <= 4096;
			if (ok) {
				char *c = vfs_sanitize_dup(json_string_value(v));
				vs_set((struct vs *)p, c, s);
				free(c);
			}
		} else {
			struct hv_strlist *l = (struct hv_strlist *)p;
			ok = json_is_array(v) && json_array_size(v) <= HV_MAX_STRLIST;
			size_t k;
			json_t *e;
			if (ok)
				json_array_foreach(v, k, e)
					if (!json_is_string(e) || json_string_length(e) > 4096)
						ok = false;
			if (ok) {
				hv_strlist_free(l);
				l->src = (uint8_t)s;
				json_array_foreach(v, k, e) {
					char *c = vfs_sanitize_dup(json_string_value(e));
					hv_strlist_add(l, c, s);
					free(c);
				}
			}
		}
		if (!ok) {
			snprintf(err, errlen, "%s: wrong type or too long", f[i].name);
			return -EBADMSG;
		}
	}
	return 0;
}

static const char *const status_names[] = { "ok", "partial", "skipped", "failed" };

json_t *hv_to_json(const struct hv_view *v)
{
	json_t *o = json_object(), *a;
	json_object_set_new(o, "is_guest", json_boolean(v->is_guest));
	a = json_array();
	for (int k = 0; k < HV_K_MAX; k++)
		if (v->have & (1u << k))
			json_array_append_new(a, json_string(hv_kind_name(k)));
	json_object_set_new(o, "have", a);
	put(o, v, view_f, ARRAY_SIZE(view_f));
#define LIST(key, arr, n, tab, extra)                                           \
	a = json_array();                                                       \
	for (size_t i = 0; i < v->n; i++) {                                     \
		json_t *e = json_object();                                      \
		put(e, &v->arr[i], tab, ARRAY_SIZE(tab));                       \
		extra;                                                          \
		json_array_append_new(a, e);                                    \
	}                                                                       \
	json_object_set_new(o, key, a)
	LIST("nics", nics, nnics, nic_f, (void)0);
	LIST("switches", switches, nswitches, switch_f, (void)0);
	LIST("vnics", vnics, nvnics, vnic_f, {
		const struct hv_vnic *n = &v->vnics[i];
		json_t *st = json_null();
		if (n->status_src) {
			st = json_array();
			for (size_t k = 0; k < n->nstatus; k++)
				json_array_append_new(st, json_integer(n->status[k]));
			json_object_set_new(json_object_get(e, "src"), "status", json_string(vfs_src_name(n->status_src)));
		}
		json_object_set_new(e, "status", st);
	});
	LIST("vfs", vfs, nvfs, vf_f, (void)0);
	LIST("teams", teams, nteams, team_f, {
		json_t *ms = json_array();
		for (size_t k = 0; k < v->teams[i].nmembers; k++) {
			json_t *me = json_object();
			put(me, &v->teams[i].members[k], member_f, ARRAY_SIZE(member_f));
			json_array_append_new(ms, me);
		}
		json_object_set_new(e, "members", ms);
	});
#undef LIST
	a = json_array();
	for (size_t i = 0; i < v->nfiles; i++) {
		const struct hv_file *f = &v->files[i];
		json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:I, s:s, s:o}", "name", f->name,
						   "kind", f->kind ? json_string(f->kind) : json_null(),
						   "encoding", f->encoding ? json_string(f->encoding) : json_null(),
						   "objects", (json_int_t)f->objects, "status", status_names[f->status & 3],
						   "detail", f->detail ? json_string(f->detail) : json_null()));
	}
	json_object_set_new(o, "files", a);
	return o;
}

static int arr(const json_t *o, const char *key, const json_t **a, char *err, size_t errlen)
{
	*a = json_object_get(o, key);
	if (!*a || json_is_null(*a))
		return 0;
	if (!json_is_array(*a) || json_array_size(*a) > HV_MAX_ITEMS) {
		snprintf(err, errlen, "%s: not an array of at most %d", key, HV_MAX_ITEMS);
		return -EBADMSG;
	}
	return 0;
}

struct hv_view *hv_from_json(const json_t *j, int ovr, char *err, size_t errlen)
{
	char e2[160] = "";
	if (!json_is_object(j)) {
		snprintf(err, errlen, "hyperv: not an object");
		return NULL;
	}
	struct hv_view *v = hv_new(json_is_true(json_object_get(j, "is_guest")));
	const json_t *a, *e;
	size_t i;
	a = json_object_get(j, "have");
	json_array_foreach(a, i, e) {
		int k = hv_kind_parse(json_string_value(e));
		if (k >= 0)
			v->have |= 1u << k;
	}
	if (get(j, v, view_f, ARRAY_SIZE(view_f), ovr, e2, sizeof(e2)) < 0)
		goto bad;
#define READ(key, tab, add, ...)                                                           \
	if (arr(j, key, &a, e2, sizeof(e2)) < 0)                                         \
		goto bad;                                                                \
	json_array_foreach(a, i, e) {                                                    \
		__typeof__(add) it = add;                                                \
		if (!it || get(e, it, tab, ARRAY_SIZE(tab), ovr, e2, sizeof(e2)) < 0) {  \
			if (!it)                                                         \
				snprintf(e2, sizeof(e2), "too many");                    \
			goto bad;                                                        \
		}                                                                        \
		__VA_ARGS__;                                                             \
	}
	READ("nics", nic_f, hv_add_nic(v), (void)0);
	READ("switches", switch_f, hv_add_switch(v), (void)0);
	READ("vnics", vnic_f, hv_add_vnic(v), {
		const json_t *st = json_object_get(e, "status");
		if (json_is_array(st)) {
			size_t k;
			const json_t *x;
			json_array_foreach(st, k, x) {
				if (!json_is_integer(x))
					goto bad;
				if (it->nstatus < HV_MAX_STATUS)
					it->status[it->nstatus++] = json_integer_value(x);
			}
			int s = ovr ? ovr : vfs_src_parse(json_string_value(json_object_get(json_object_get(e, "src"), "status")));
			it->status_src = (uint8_t)(s ? s : SRC_DERIVED);
		}
	});
	READ("vfs", vf_f, hv_add_vf(v), (void)0);
	READ("teams", team_f, hv_add_team(v, NULL, 0), {
		const json_t *ms = json_object_get(e, "members"), *me;
		size_t k;
		if (ms && !json_is_array(ms))
			goto bad;
		json_array_foreach(ms, k, me) {
			struct hv_member *mb = hv_team_add_member(it);
			if (!mb || get(me, mb, member_f, ARRAY_SIZE(member_f), ovr, e2, sizeof(e2)) < 0)
				goto bad;
		}
	});
#undef READ
	if (arr(j, "files", &a, e2, sizeof(e2)) < 0)
		goto bad;
	json_array_foreach(a, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		struct hv_file *f = hv_add_file(v, name ? name : "?");
		if (!f)
			break;
		const char *s;
		if ((s = json_string_value(json_object_get(e, "kind"))))
			f->kind = vfs_sanitize_dup(s);
		if ((s = json_string_value(json_object_get(e, "encoding"))))
			f->encoding = vfs_sanitize_dup(s);
		if ((s = json_string_value(json_object_get(e, "detail"))))
			f->detail = vfs_sanitize_dup(s);
		const json_t *ob = json_object_get(e, "objects");
		if (json_is_integer(ob) && json_integer_value(ob) >= 0)
			f->objects = (size_t)json_integer_value(ob);
		s = json_string_value(json_object_get(e, "status"));
		for (int k = 0; s && k < 4; k++)
			if (!strcmp(s, status_names[k]))
				f->status = k;
	}
	return v;
bad:
	snprintf(err, errlen, "hyperv: %s", e2[0] ? e2 : "bad member");
	hv_free(v);
	return NULL;
}
