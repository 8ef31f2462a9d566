/* Fix commands made only of known values. `ip link set DEV vf N ...` takes
 * the PF's netdev name (not its PCI address) and the VF number the
 * evidence gives; a bond command takes the team's real name. When one of
 * them is not known, the text says which is missing and where to find it,
 * instead of a command with a guess in it. */
#include "rules/rules_int.h"
#include <stdio.h>

const char *fix_vf(char *buf, size_t n, const struct pf *pf, int vf, const char *args)
{
	const char *dev = pf ? vs_val(&pf->netdev) : NULL;
	const char *pci = pf ? vs_val(&pf->pci) : NULL;
	if (dev && vf >= 0)
		snprintf(buf, n, "ip link set %s vf %d %s", dev, vf, args);
	else if (!dev && !pci)
		snprintf(buf, n, "'%s' on the VF's PF: the PF is not known on this machine, so no command", args);
	else if (!dev && vf >= 0)
		snprintf(buf, n, "'%s' for VF %d of PF %s: the PF's netdev name is not known here "
				 "(ls /sys/bus/pci/devices/%s/net gives it)", args, vf, pci, pci);
	else if (dev)
		snprintf(buf, n, "'%s' for the VF concerned: the evidence names no VF number "
				 "(ip link show %s lists its VFs)", args, dev);
	else
		snprintf(buf, n, "'%s' for the VF concerned of PF %s: neither the PF's netdev nor the VF number is known",
			 args, pci);
	return buf;
}

const char *fix_bond(char *buf, size_t n, const struct team *t, const char *args)
{
	const char *name = t ? vs_val(&t->name) : NULL;
	if (name)
		snprintf(buf, n, "ip link set %s type bond %s", name, args);
	else
		snprintf(buf, n, "'type bond %s' on the team: its name is not known", args);
	return buf;
}

const char *fix_dev(char *buf, size_t n, const struct vs *dev, const char *args)
{
	const char *name = dev ? vs_val(dev) : NULL;
	if (name)
		snprintf(buf, n, "ip link set %s %s", name, args);
	else
		snprintf(buf, n, "'ip link set DEV %s': the interface's name is not known", args);
	return buf;
}

const char *fix_arp_target(const struct machine *m, const struct team *t, char *note, size_t n)
{
	const char *name = t ? vs_val(&t->name) : NULL;
	int i = m && name ? machine_find_netdev(m, name) : -1;
	const struct netdev *nd = i >= 0 ? &m->netdevs[i] : NULL;
	if (note && n)
		note[0] = 0;
	if (nd && VS_KNOWN(nd->default_gw))
		return nd->default_gw.v;
	if (note && n)
		snprintf(note, n, "ADDR: an address %s reaches through every member, e.g. its gateway (%s)",
			 name ? name : "the team",
			 nd && VI_KNOWN(nd->default_route) && !nd->default_route.v ? "no default route leaves through it"
			 : nd && VI_KNOWN(nd->default_route) ? "its default route's gateway was not read"
							  : "its routes were not read");
	return "ADDR";
}
