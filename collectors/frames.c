/* Decoded control frames -> model facts (see frames.h). LLDP fills the
 * receiving PF's switch identity; a shutdown LLDPDU (TTL 0) withdraws it
 * (802.1AB 9.2.7.7.1). LACPDUs, gratuitous ARPs (RFC 5227 announcements)
 * and unsolicited NAs become EV_FRAME events with the frame's own
 * timestamp; other ARP/NA traffic is counted, not kept. */
#include "collectors/frames.h"
#include "lib/util.h"
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct pf *pf_of_ifname(struct machine *m, const char *ifname)
{
	if (!ifname || !*ifname)
		return NULL;
	int n = machine_find_netdev(m, ifname);
	if (n >= 0 && m->netdevs[n].pf_idx >= 0 && (size_t)m->netdevs[n].pf_idx < m->npfs)
		return &m->pfs[m->netdevs[n].pf_idx];
	for (size_t i = 0; i < m->npfs; i++)
		if (VS_KNOWN(m->pfs[i].netdev) && !strcmp(m->pfs[i].netdev.v, ifname))
			return &m->pfs[i];
	return NULL;
}

bool frames_ifname_known(const struct machine *m, const char *ifname)
{
	if (!ifname || !*ifname)
		return false;
	if (machine_find_netdev((struct machine *)m, ifname) >= 0)
		return true;
	for (size_t i = 0; i < m->npfs; i++) {
		if (VS_KNOWN(m->pfs[i].netdev) && !strcmp(m->pfs[i].netdev.v, ifname))
			return true;
		for (size_t k = 0; k < m->pfs[i].nvfs; k++)
			if (VS_KNOWN(m->pfs[i].vfs[k].netdev) && !strcmp(m->pfs[i].vfs[k].netdev.v, ifname))
				return true;
	}
	return false;
}

static void note_if(struct frames_stats *st, const char *ifname)
{
	if (!ifname || !*ifname) {
		st->noif++;
		return;
	}
	/* a short list: one entry per interface */
	size_t il = strlen(ifname), n = strlen(st->ifs);
	for (const char *p = st->ifs; (p = strstr(p, ifname)); p += il)
		if ((p == st->ifs || p[-1] == ',') && (p[il] == ',' || !p[il]))
			return;
	if (n + il + 2 < sizeof(st->ifs))
		snprintf(st->ifs + n, sizeof(st->ifs) - n, "%s%s", n ? "," : "", ifname);
}

static void add_event(struct machine *m, const char *ifname, uint64_t real, uint64_t mono, const char *probe,
		      const char *text)
{
	struct vfs_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.kind = EV_FRAME;
	ev.ts_real_ns = real;
	ev.ts_mono_ns = mono;
	ev.cpu = -1;
	ev.vf = -1;
	if (ifname) {
		vfs_sanitize(ev.ifname, sizeof(ev.ifname), ifname);
		int n = machine_find_netdev(m, ifname);
		if (n >= 0 && VI_KNOWN(m->netdevs[n].ifindex))
			ev.ifindex = (int32_t)m->netdevs[n].ifindex.v;
		struct pf *pf = pf_of_ifname(m, ifname);
		if (pf && VS_KNOWN(pf->netdev))
			vfs_sanitize(ev.pf, sizeof(ev.pf), pf->netdev.v);
	}
	vfs_sanitize(ev.probe, sizeof(ev.probe), probe ? probe : "pcap");
	vfs_sanitize(ev.text, sizeof(ev.text), text);
	machine_add_event(m, &ev);
}

static void vlan_suffix(const struct frame_info *f, char *buf, size_t len)
{
	buf[0] = 0;
	if (f->vlan[0] >= 0 && f->vlan[1] >= 0)
		snprintf(buf, len, " vlan %d.%d", f->vlan[0], f->vlan[1]);
	else if (f->vlan[0] >= 0)
		snprintf(buf, len, " vlan %d", f->vlan[0]);
}

static void add_chassis(struct frames_flip *fl, const char *c)
{
	for (unsigned i = 0; i < fl->nchassis && i < ARRAY_SIZE(fl->chassis); i++)
		if (!strcmp(fl->chassis[i], c))
			return;
	if (fl->nchassis < ARRAY_SIZE(fl->chassis))
		vfs_strlcpy(fl->chassis[fl->nchassis], c, sizeof(fl->chassis[0]));
	fl->nchassis++;
}

/* A PF's LLDP neighbour changed from `was` to `now`: the first change
 * warns as it happens; later ones (a port hearing two switches in turn
 * flips on every LLDPDU) rewrite that one warning with the count, so a
 * capture gives one line per PF however long it is. */
static void note_flip(struct machine *m, struct frames_stats *st, const struct pf *pf, const char *pfn,
		      const char *was, const char *now, uint64_t real, const char *ts)
{
	size_t pi = (size_t)(pf - m->pfs);
	struct frames_flip *fl = NULL;
	for (unsigned i = 0; st && i < st->nflips; i++)
		if (st->flips[i].pf == pi)
			fl = &st->flips[i];
	if (!fl && st && st->nflips < ARRAY_SIZE(st->flips)) {
		fl = &st->flips[st->nflips++];
		memset(fl, 0, sizeof(*fl));
		fl->pf = pi;
		fl->first_ns = real;
		add_chassis(fl, was);
		fl->warning = m->nwarnings;
	}
	if (!fl || !fl->changes) {
		size_t before = m->nwarnings;
		machine_warn(m, "PF %s: LLDP from two chassis, %s and then %s (at %s); keeping the latest", pfn, was, now,
			     ts);
		if (fl) {
			fl->warning = m->nwarnings > before ? before : (size_t)-1;
			fl->changes = 1;
			add_chassis(fl, now);
			fl->last_ns = real;
		}
		return;
	}
	fl->changes++;
	fl->last_ns = real;
	add_chassis(fl, now);
	if (fl->warning >= m->nwarnings)
		return;
	char list[4 * 82] = "", t0[32] = "?", buf[512];
	size_t pos = 0;
	for (unsigned i = 0; i < fl->nchassis && i < ARRAY_SIZE(fl->chassis); i++)
		pos += (size_t)snprintf(list + pos, sizeof(list) - pos, "%s%s", i ? ", " : "", fl->chassis[i]);
	if (fl->nchassis > ARRAY_SIZE(fl->chassis))
		snprintf(list + pos, sizeof(list) - pos, ", ...");
	if (fl->first_ns)
		vfs_fmt_time(fl->first_ns, t0);
	snprintf(buf, sizeof(buf),
		 "PF %s: LLDP from %u chassis (%s): the neighbour changed %u times between %s and %s; keeping the latest, %s",
		 pfn, fl->nchassis, list, fl->changes, t0, ts, now);
	free(m->warnings[fl->warning]);
	m->warnings[fl->warning] = vfs_sanitize_dup(buf);
}

static void apply_lldp(struct machine *m, const char *ifname, uint64_t real, uint64_t mono, const struct frame_info *f,
		       const char *probe, struct frames_stats *st)
{
	const struct lldp_info *l = &f->u.lldp;
	char text[256], ts[32] = "?";
	if (real)
		vfs_fmt_time(real, ts);
	snprintf(text, sizeof(text), "LLDP chassis %s port %s%s%s ttl %d", l->chassis_id, l->port_id,
		 l->sys_name[0] ? " name " : "", l->sys_name, l->ttl);
	add_event(m, ifname, real, mono, probe, text);
	struct pf *pf = pf_of_ifname(m, ifname);
	if (!pf)
		return;
	const char *pfn = VS_KNOWN(pf->netdev) ? pf->netdev.v : ifname;
	if (l->ttl == 0) {
		/* shutdown: the neighbour withdraws what it said */
		if (VS_KNOWN(pf->lldp_chassis) && !strcmp(pf->lldp_chassis.v, l->chassis_id)) {
			machine_warn(m, "PF %s: LLDP neighbour %s port %s sent a shutdown LLDPDU (TTL 0) at %s; "
					"its switch identity is no longer known", pfn, l->chassis_id, l->port_id, ts);
			vs_set(&pf->lldp_chassis, NULL, SRC_NONE);
			vs_set(&pf->lldp_port, NULL, SRC_NONE);
			vs_set(&pf->lldp_sysname, NULL, SRC_NONE);
		}
		return;
	}
	if (VS_KNOWN(pf->lldp_chassis) && strcmp(pf->lldp_chassis.v, l->chassis_id))
		note_flip(m, st, pf, pfn, pf->lldp_chassis.v, l->chassis_id, real, ts);
	vs_set(&pf->lldp_chassis, l->chassis_id, SRC_LLDP);
	vs_set(&pf->lldp_port, l->port_id[0] ? l->port_id : NULL, SRC_LLDP);
	vs_set(&pf->lldp_sysname, l->sys_name[0] ? l->sys_name : NULL, SRC_LLDP);
}

void frames_apply(struct machine *m, const char *ifname, uint64_t ts_real_ns, uint64_t ts_mono_ns,
		  const struct frame_info *f, const char *probe, struct frames_stats *st)
{
	char text[256], tail[200], mac[18], vl[24], ip[INET6_ADDRSTRLEN];
	st->frames++;
	if (f->rc < 0) {
		st->bad++;
		return;
	}
	vlan_suffix(f, vl, sizeof(vl));
	switch (f->kind) {
	case FRAME_LLDP:
		if (!f->u.lldp.chassis_id[0]) {
			st->bad++;
			return;
		}
		note_if(st, ifname);
		apply_lldp(m, ifname, ts_real_ns, ts_mono_ns, f, probe, st);
		st->lldp++;
		return;
	case FRAME_LACP:
		note_if(st, ifname);
		lacp_format(&f->u.lacp, tail, sizeof(tail));
		vfs_mac_format(f->src, mac);
		/* lacp_format starts with "LACPv1": the text starts with "LACP" */
		snprintf(text, sizeof(text), "%s from %s%s", tail, mac, vl);
		add_event(m, ifname, ts_real_ns, ts_mono_ns, probe, text);
		st->lacp++;
		return;
	case FRAME_ARP:
		if (!f->u.arp.have_addrs || !f->u.arp.gratuitous)
			break;
		note_if(st, ifname);
		vfs_mac_format(f->u.arp.sha, mac);
		inet_ntop(AF_INET, f->u.arp.spa, ip, sizeof(ip));
		snprintf(text, sizeof(text), "GARP for %s from %s (%s)%s", ip, mac,
			 f->u.arp.op == 2 ? "reply" : "request", vl);
		add_event(m, ifname, ts_real_ns, ts_mono_ns, probe, text);
		st->garp++;
		return;
	case FRAME_NA:
		if (!f->u.na.have_na || !f->u.na.unsolicited)
			break;
		note_if(st, ifname);
		/* the target's link-layer address when the NA carries one,
		 * else the Ethernet source */
		vfs_mac_format(f->u.na.have_tlla ? f->u.na.tlla : f->src, mac);
		inet_ntop(AF_INET6, f->u.na.target, ip, sizeof(ip));
		snprintf(text, sizeof(text), "NA for %s from %s (unsolicited%s)%s", ip, mac,
			 f->u.na.flags & NDISC_NA_O ? ", override" : "", vl);
		add_event(m, ifname, ts_real_ns, ts_mono_ns, probe, text);
		st->na++;
		return;
	default:
		break;
	}
	st->other++;
}

void frames_apply_raw(struct machine *m, const char *ifname, uint64_t ts_real_ns, uint64_t ts_mono_ns,
		      const uint8_t *buf, size_t len, const char *probe, struct frames_stats *st)
{
	struct frame_info *f = vfs_xcalloc(1, sizeof(*f));
	f->rc = frame_decode(buf, len, f);
	frames_apply(m, ifname, ts_real_ns, ts_mono_ns, f, probe, st);
	free(f);
}

/* ---- pcapng interface names -------------------------------------------- */
static uint32_t u32x(const uint8_t *p, bool sw)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return sw ? __builtin_bswap32(v) : v;
}

/* Blocks: type, total length, body..., total length. Bounded by the file
 * and by 16 MiB per block. A new section numbers interfaces afresh. */
void pcapng_ifmap_read(const char *path, struct pcapng_ifmap *m)
{
	memset(m, 0, sizeof(*m));
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return;
	size_t cap = 0, ncap = 0, base = 0;
	uint8_t hdr[12];
	bool sw = false;
	while (fread(hdr, 1, 8, fp) == 8) {
		uint32_t type = u32x(hdr, false);
		if (type == 0x0a0d0d0a) {
			if (fread(hdr + 8, 1, 4, fp) != 4)
				break;
			sw = u32x(hdr + 8, false) != 0x1a2b3c4d;
			base = m->nnames; /* interface ids of this section start here */
			uint32_t blen = u32x(hdr + 4, sw);
			if (blen < 12 || blen > (16u << 20) || fseek(fp, (long)blen - 12, SEEK_CUR))
				break;
			continue;
		}
		type = u32x(hdr, sw);
		uint32_t blen = u32x(hdr + 4, sw);
		if (blen < 12 || blen > (16u << 20) || (blen & 3))
			break;
		uint8_t *b = malloc(blen - 8);
		if (!b || fread(b, 1, blen - 8, fp) != blen - 8) {
			free(b);
			break;
		}
		size_t body = blen - 12;
		if (type == 1) { /* IDB: linktype, reserved, snaplen, options */
			if (m->nnames == ncap) {
				ncap = ncap ? ncap * 2 : 4;
				m->names = vfs_xrealloc(m->names, ncap, sizeof(*m->names));
			}
			char *nm = m->names[m->nnames++];
			nm[0] = 0;
			for (size_t o = 8; o + 4 <= body;) {
				uint16_t code = (uint16_t)(sw ? b[o] << 8 | b[o + 1] : b[o] | b[o + 1] << 8);
				uint16_t ol = (uint16_t)(sw ? b[o + 2] << 8 | b[o + 3] : b[o + 2] | b[o + 3] << 8);
				if (code == 0 || o + 4 + ol > body)
					break;
				if (code == 2) {
					char tmp[64];
					size_t n = MIN((size_t)ol, sizeof(tmp) - 1);
					memcpy(tmp, b + o + 4, n);
					tmp[n] = 0;
					vfs_sanitize(nm, 64, tmp);
				}
				o += 4 + (((size_t)ol + 3) & ~(size_t)3);
			}
		} else if (type == 6 || type == 3 || type == 2) {
			long ifid = -1;
			if (type == 3)
				ifid = 0;
			else if (body >= 4 && type == 6)
				ifid = (long)u32x(b, sw);
			else if (body >= 4) /* obsolete Packet Block: u16 interface id */
				ifid = sw ? b[0] << 8 | b[1] : b[0] | b[1] << 8;
			if (m->npkts == cap) {
				cap = cap ? cap * 2 : 64;
				m->pkt_if = vfs_xrealloc(m->pkt_if, cap, sizeof(*m->pkt_if));
			}
			m->pkt_if[m->npkts++] = ifid >= 0 && base + (size_t)ifid < m->nnames ? (int)(base + (size_t)ifid) : -1;
		}
		free(b);
	}
	fclose(fp);
}

const char *pcapng_ifname(const struct pcapng_ifmap *m, unsigned long n)
{
	if (!n || n > m->npkts || m->pkt_if[n - 1] < 0)
		return NULL;
	const char *s = m->names[m->pkt_if[n - 1]];
	return s[0] ? s : NULL;
}

void pcapng_ifmap_free(struct pcapng_ifmap *m)
{
	free(m->names);
	free(m->pkt_if);
	memset(m, 0, sizeof(*m));
}

int frames_read_file(struct machine *m, const char *path, const char *ifname, const char *source_name,
		     const char *probe, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	const char *sn = source_name ? source_name : "pcap";
	pcap_t *p = pcap_open_offline(path, ebuf);
	if (!p) {
		snprintf(err, errlen, "%s", ebuf);
		machine_add_source(m, sn, SOURCE_FAILED, "%s", err);
		return -EINVAL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "%s: link type %s not supported (Ethernet only)", path,
			 pcap_datalink_val_to_name(pcap_datalink(p)) ? pcap_datalink_val_to_name(pcap_datalink(p)) : "?");
		pcap_close(p);
		machine_add_source(m, sn, SOURCE_FAILED, "%s", err);
		return -EPROTONOSUPPORT;
	}
	struct pcapng_ifmap im;
	if (!ifname)
		pcapng_ifmap_read(path, &im);
	else
		memset(&im, 0, sizeof(im));
	struct frames_stats st;
	memset(&st, 0, sizeof(st));
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	int r, rc = 0;
	bool nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * (nano ? 1u : 1000u);
		frames_apply_raw(m, ifname ? ifname : pcapng_ifname(&im, n), ts, 0, data, h->caplen, probe, &st);
	}
	const char *rerr = r == -1 ? pcap_geterr(p) : NULL;
	int status = rerr ? SOURCE_PARTIAL : st.noif && (st.noif == st.frames) && st.frames ? SOURCE_PARTIAL : SOURCE_OK;
	machine_add_source(m, sn, status,
			   "%s: %u frames: %u LLDP, %u LACP, %u GARP, %u unsolicited NA applied, %u other, %u bad; "
			   "interfaces %s%s%s%s",
			   path, st.frames, st.lldp, st.lacp, st.garp, st.na, st.other, st.bad,
			   st.ifs[0] ? st.ifs : "none", st.noif ? " (frames without an interface: classic pcap? use IF=FILE)" : "",
			   rerr ? "; read error: " : "", rerr ? rerr : "");
	if (st.noif)
		machine_warn(m, "%s: %u frames without an interface name (classic pcap): give --pcap IF=%s", path,
			     st.noif, path);
	if (rerr) {
		snprintf(err, errlen, "%s: %s", path, rerr);
		rc = -EIO;
	}
	pcapng_ifmap_free(&im);
	pcap_close(p);
	return rc;
}
