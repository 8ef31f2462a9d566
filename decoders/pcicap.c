#include "decoders/pcicap.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
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

int pcicap_speed_gts10(unsigned code)
{
	/* Codes 1..6 and 8 are the ones lspci names; 7 and 9..15 it calls "unknown". */
	static const int speeds[] = { -1, 25, 50, 80, 160, 320, 640, -1, 1280 };
	return code < ARRAY_SIZE(speeds) ? speeds[code] : -1;
}

const char *pcicap_speed_name(int gts10, char *buf, size_t size)
{
	if (gts10 < 0)
		snprintf(buf, size, "unknown");
	else if (gts10 % 10)
		snprintf(buf, size, "%d.%dGT/s", gts10 / 10, gts10 % 10);
	else
		snprintf(buf, size, "%dGT/s", gts10 / 10);
	return buf;
}

uint8_t pcicap_link_cmp(int exp_type, int sta, int cap)
{
	if (sta > cap)
		return SRIOV_LINK_OVERDRIVEN;
	if (sta == cap)
		return SRIOV_LINK_SAME;
	/* A port that faces downstream trains to whatever sits below it;
	 * lspci marks nothing there. */
	if (exp_type == PCI_EXP_ROOT_PORT || exp_type == PCI_EXP_DOWNSTREAM || exp_type == PCI_EXP_PCIE_BRIDGE)
		return SRIOV_LINK_LOWER_PORT;
	return SRIOV_LINK_DOWNGRADED;
}

/* The PCIe capability's type and link registers, as lspci reads them: the
 * link is shown for every type but the root complex integrated endpoint and
 * event collector (which have no link), and only when the 16 bytes from
 * DevCap on are there. */
static void decode_express(const uint8_t *cfg, size_t len, struct sriov_cap *out)
{
	int e = pcicap_find_std(cfg, len, PCI_CAP_EXP);
	if (e < 0 || (size_t)e + 4 > len)
		return;
	uint16_t flags = rd16(cfg, (size_t)e + 2);
	out->exp_type_known = true;
	out->exp_type = (uint8_t)((flags >> 4) & 0xf);
	if (out->exp_type == PCI_EXP_ROOT_INT_EP || out->exp_type == PCI_EXP_ROOT_EC)
		return;
	if ((size_t)e + 0x14 > len)
		return;
	uint32_t lc = rd32(cfg, (size_t)e + 0x0c);
	uint16_t ls = rd16(cfg, (size_t)e + 0x12);
	unsigned cap_speed = lc & 0xf, cap_width = (lc >> 4) & 0x3f;
	unsigned sta_speed = ls & 0xf, sta_width = (ls >> 4) & 0x3f;
	out->link_cap_known = true;
	out->link_cap_speed_gts10 = pcicap_speed_gts10(cap_speed);
	out->link_cap_width = (int)cap_width;
	out->link_speed_gts10 = pcicap_speed_gts10(sta_speed);
	out->link_width = (int)sta_width;
	/* lspci compares the raw codes, so an unnamed code still compares. */
	out->link_speed_cmp = pcicap_link_cmp(out->exp_type, (int)sta_speed, (int)cap_speed);
	out->link_width_cmp = pcicap_link_cmp(out->exp_type, (int)sta_width, (int)cap_width);
}

int sriov_cap_decode(const uint8_t *cfg, size_t len, struct sriov_cap *out)
{
	memset(out, 0, sizeof(*out));
	out->link_speed_gts10 = out->link_width = -1;
	out->link_cap_speed_gts10 = out->link_cap_width = -1;
	decode_express(cfg, len, out);
	int a = pcicap_find_ext(cfg, len, PCI_EXT_CAP_ARI);
	out->ari_present = a >= 0;
	if (a == -ENODATA || a == -EBADMSG)
		out->unknown |= SRIOV_UNK_ARI;
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
	out->vf_migration_known = true;
	out->vf_migration = rd32(cfg, s + 0x3c);
	return 0;
}

void sriov_ctrl_format(uint16_t ctrl, char *buf, size_t size)
{
	snprintf(buf, size, "Enable%c Migration%c Interrupt%c MSE%c ARIHierarchy%c 10BitTagReq%c",
		 ctrl & 1 ? '+' : '-', ctrl & 2 ? '+' : '-', ctrl & 4 ? '+' : '-', ctrl & 8 ? '+' : '-',
		 ctrl & 16 ? '+' : '-', ctrl & 32 ? '+' : '-');
}

size_t sriov_vf_bars(const struct sriov_cap *c, struct sriov_vf_bar out[6])
{
	size_t n = 0;
	for (int i = 0; i < 6; i++) {
		uint32_t l = c->vf_bar[i];
		if (l == 0xffffffff)
			l = 0;
		if (!l)
			continue;
		struct sriov_vf_bar *b = &out[n++];
		b->index = i;
		b->addr = l & ~0xfu;
		unsigned type = l & 0x6; /* memory type: 0 32-bit, 2 below 1M, 4 64-bit */
		b->bits = type == 0 ? 32 : 64;
		b->prefetch = l & 0x8;
		b->pair = type == 0x4;
		if (b->pair) {
			/* The upper half is the next register; for BAR5 lspci
			 * reads the one after the BARs (VF Migration State). */
			i++;
			uint32_t h = i < 6 ? c->vf_bar[i] : c->vf_migration;
			b->addr |= (uint64_t)h << 32;
		}
	}
	return n;
}
