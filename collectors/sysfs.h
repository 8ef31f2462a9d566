/* sysfs reader: netdevs, PCI PFs and their VFs (sriov_*, virtfnN, physfn,
 * driver, iommu_group) and bonding's sysfs (bonding/, bonding_slave/). */
#ifndef VFS_SYSFS_H
#define VFS_SYSFS_H
#include "model/model.h"

/* Bounds on what a (possibly hostile or corrupt) tree can make us walk. */
/* 16 PFs x 256 VFs (4,096 VF netdevs, as many representors in switchdev
 * mode) plus the PFs and the teams fit. */
#define SYSFS_MAX_NETDEVS 16384
#define SYSFS_MAX_PCI     16384
#define SYSFS_MAX_VFS     1024

int sysfs_collect(struct machine *m);
#endif
