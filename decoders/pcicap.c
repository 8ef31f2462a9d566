#include "decoders/pcicap.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>

static uint16_t rd16(const uint8_t *c, size_t o) { return (uint16_t)(c[o] | c[o + 1] << 8); }
static uint32_t rd32(const uint8_t *c, size_t o)
{
	return (uint32_t)c[o] | (uint32_t)c[o + 1] << 8 | (uint32_t)c[o + 2] << 16 | (uint32_t)c[o + 3] << 24;
}

int pcicap_find_ext(const uint8_t *cfg, size_t len, uint16_t id)
{
	if (len < 0x104)
		return -ENODATA;
	uint8_t seen[4096 / 4] = { 0 };
	size_t off = 0x100;
	for (int hops = 0; hops < 1024; hops++) {
		if (off + 4 > len)
			return -ENODATA;
		if (off < 0x100 || (off & 3) || off >= 4096)
			return -EBADMSG;
		if (seen[off / 4]++)
			return -EBADMSG; /* loop */
		uint32_t h = rd32(cfg, off);
		if (h == 0 || h == 0xffffffff)
			return -ENOENT;
		if ((h & 0xffff) == id)
			return (int)off;
		off = h >> 20;
		if (!off)
			return -ENOENT;
	}
	return -EBADMSG;
}

int pcicap_find_std(const uint8_t *cfg, size_t len, uint8_t id)
{
	if (len < 0x40)
		return -ENODATA;
	if (!(rd16(cfg, 0x06) & 0x10)) /* Status: Capabilities List */
		return -ENOENT;
	uint8_t seen[256 / 4] = { 0 };
	size_t off = cfg[0x34] & 0xfc;
	for (int hops = 0; off && hops < 64; hops++) {
		if (off < 0x40 || off + 2 > len || off > 0xfc)
			return off + 2 > len ? -ENODATA : -EBADMSG;
		if (seen[off / 4]++)
			return -EBADMSG;
		if (cfg[off] == id)
			return (int)off;
		off = cfg[off + 1] & 0xfc;
	}
	return -ENOENT;
}

int sriov_cap_decode(const uint8_t *cfg, size_t len, struct sriov_cap *out)
{
	memset(out, 0, sizeof(*out));
	out->link_speed_gts10 = out->link_width = -1;
	int e = pcicap_find_std(cfg, len, 0x10);
	if (e >= 0 && (size_t)e + 0x14 <= len) {
		uint16_t ls = rd16(cfg, (size_t)e + 0x12);
		static const int speeds[] = { 0, 25, 50, 80, 160, 320, 640 };
		unsigned sp = ls & 0xf;
		if (sp && sp < ARRAY_SIZE(speeds))
			out->link_speed_gts10 = speeds[sp];
		out->link_width = (ls >> 4) & 0x3f;
	}
	out->ari_present = pcicap_find_ext(cfg, len, PCI_EXT_CAP_ARI) >= 0;
	int o = pcicap_find_ext(cfg, len, PCI_EXT_CAP_SRIOV);
	if (o < 0)
		return o;
	size_t s = (size_t)o;
	if (s + 0x40 > len)
		return -ENODATA;
	out->present = true;
	out->offset = (uint16_t)s;
	out->caps = rd32(cfg, s + 0x04);
	out->ctrl = rd16(cfg, s + 0x08);
	out->status = rd16(cfg, s + 0x0a);
	out->initial_vfs = rd16(cfg, s + 0x0c);
	out->total_vfs = rd16(cfg, s + 0x0e);
	out->num_vfs = rd16(cfg, s + 0x10);
	out->func_dep_link = cfg[s + 0x12];
	out->first_vf_offset = rd16(cfg, s + 0x14);
	out->vf_stride = rd16(cfg, s + 0x16);
	out->vf_device = rd16(cfg, s + 0x1a);
	out->supported_page_sizes = rd32(cfg, s + 0x1c);
	out->system_page_size = rd32(cfg, s + 0x20);
	for (int i = 0; i < 6; i++)
		out->vf_bar[i] = rd32(cfg, s + 0x24 + 4 * (size_t)i);
	return 0;
}

void sriov_ctrl_format(uint16_t ctrl, char *buf, size_t size)
{
	snprintf(buf, size, "VF-Enable%c VF-Migration%c VF-MigIntr%c VF-MSE%c ARI-Hierarchy%c",
		 ctrl & 1 ? '+' : '-', ctrl & 2 ? '+' : '-', ctrl & 4 ? '+' : '-', ctrl & 8 ? '+' : '-',
		 ctrl & 16 ? '+' : '-');
}
