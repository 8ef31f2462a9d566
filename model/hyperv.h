/* The Hyper-V view (issue 16): what a Hyper-V host or a Windows guest shows
 * through inbox PowerShell cmdlets, as collectors/hyperv.c reads it from
 * their JSON exports. Hung on struct machine as `hyperv` (NULL for Linux
 * machines): the host machine (role "host") holds the physical NICs with
 * their SR-IOV settings, the virtual switches, every VM's vNICs, the VFs and
 * any host LBFO team; each Windows guest is a machine of its own (role
 * "guest", label = the VM's name) whose `hyperv` holds its adapters and LBFO
 * teams, and whose generic teams (struct team, driver TEAM_LBFO) mirror them.
 *
 * Every value keeps its source (SRC_POWERSHELL when read from an export,
 * SRC_BUNDLE/SRC_GUEST when read back from snapshot JSON, SRC_DERIVED when
 * computed here); SRC_NONE is unknown: a property absent from the export, a
 * null, a value of the wrong type, or an object PowerShell cut to a string at
 * its -Depth. Enumerations are kept as Microsoft's integer values whatever
 * form the export used (Windows PowerShell 5.1 writes integers, PowerShell 7
 * may write names); the name tables below map both ways.
 *
 * Path of a guest team member: hv_member -> (guest adapter, MAC) -> host
 * hv_vnic (same MAC) -> hv_switch (SwitchName) -> hv_nic (the switch's
 * NetAdapterInterfaceDescription) -> its link (MediaConnectionState/Status).
 * hv_link() computes those indices (-1 none). */
#ifndef VFS_MODEL_HYPERV_H
#define VFS_MODEL_HYPERV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "model/model.h"

#define HV_MAX_ITEMS   1024  /* objects of one kind kept per machine */
#define HV_MAX_STRLIST 16    /* elements kept of a string array (IovSupportReasons, Members, ...) */
#define HV_MAX_STATUS  8     /* elements kept of VMNetworkAdapter.Status */

/* An enumeration's documented integer values and names. */
struct hv_enum { int64_t v; const char *name; };
/* Name of v in table (NULL-terminated by name), NULL when not in it. */
const char *hv_enum_name(const struct hv_enum *table, int64_t v);
/* Value of name (case-insensitive) in table: 0 and *v set, or -ENOENT. */
int hv_enum_value(const struct hv_enum *table, const char *name, int64_t *v);

/* Microsoft.HyperV.PowerShell.OnOffState (AllowTeaming, MacAddressSpoofing):
 * On = 0, Off = 1 (the issue; Hyper-V module's enum). */
enum hv_onoff { HV_ON = 0, HV_OFF = 1 };
extern const struct hv_enum hv_onoff_names[];
/* MSFT_NetLbfoTeam.TeamingMode (learn.microsoft.com, MSFT_NetLbfoTeam class). */
enum hv_teaming_mode { HV_TM_STATIC = 0, HV_TM_SWITCH_INDEPENDENT = 1, HV_TM_LACP = 2 };
extern const struct hv_enum hv_teaming_mode_names[];
/* MSFT_NetLbfoTeam.LoadBalancingAlgorithm (same page; 1 is not used). */
enum hv_lb_algo {
	HV_LB_TRANSPORT_PORTS = 0, HV_LB_IP_ADDRESSES = 2, HV_LB_MAC_ADDRESSES = 3,
	HV_LB_HYPERV_PORT = 4, HV_LB_DYNAMIC = 5,
};
extern const struct hv_enum hv_lb_algo_names[];
/* MSFT_NetLbfoTeam.Status (same page). */
enum hv_team_status { HV_TS_UP = 0, HV_TS_DOWN = 1, HV_TS_DEGRADED = 2 };
extern const struct hv_enum hv_team_status_names[];
/* MSFT_NetLbfoTeamMember.AdministrativeMode (MSFT_NetLbfoTeamMember class). */
enum hv_admin_mode { HV_AM_ACTIVE = 0, HV_AM_STANDBY = 1 };
extern const struct hv_enum hv_admin_mode_names[];
/* MSFT_NetLbfoTeamMember.OperationalMode (same page; list views print it
 * as OperationalStatus). */
enum hv_oper_mode { HV_OM_ACTIVE = 0, HV_OM_STANDBY = 1, HV_OM_FAILED = 4096 };
extern const struct hv_enum hv_oper_mode_names[];
/* MSFT_NetImPlatAdapter.FailureReason, inherited by MSFT_NetLbfoTeamMember
 * (learn.microsoft.com, MSFT_NetImPlatAdapter class; 2 and 8 not used). */
enum hv_failure_reason {
	HV_FR_NO_FAILURE = 0, HV_FR_ADMINISTRATIVE_DECISION = 1, HV_FR_PHYSICAL_MEDIA_DISCONNECTED = 3,
	HV_FR_WAITING_FOR_STABLE_CONNECTIVITY = 4, HV_FR_LACP_NEGOTIATION_ISSUE = 5, HV_FR_NIC_NOT_PRESENT = 6,
	HV_FR_UNKNOWN_FAILURE = 7, HV_FR_VSWITCH_LACKS_EXTERNAL_CONNECTIVITY = 9,
};
extern const struct hv_enum hv_failure_reason_names[];
/* Microsoft.HyperV.PowerShell.VMNetworkAdapterOperationalStatus (Ok = 2). */
enum hv_vnic_status { HV_VS_UNKNOWN = 0, HV_VS_OTHER = 1, HV_VS_OK = 2, HV_VS_DEGRADED = 3 /* ... */ };
extern const struct hv_enum hv_vnic_status_names[];
/* Microsoft.HyperV.PowerShell.VMSwitchType. */
enum hv_switch_type { HV_SW_PRIVATE = 0, HV_SW_INTERNAL = 1, HV_SW_EXTERNAL = 2 };
extern const struct hv_enum hv_switch_type_names[];
/* MSFT_NetAdapter.MediaConnectState / Get-NetAdapter MediaConnectionState
 * (NET_IF_MEDIA_CONNECT_STATE: Disconnected = 2). */
enum hv_media_state { HV_MS_UNKNOWN = 0, HV_MS_CONNECTED = 1, HV_MS_DISCONNECTED = 2 };
extern const struct hv_enum hv_media_state_names[];

/* MSFT_NetAdapterSriovSettingData.SriovSupport: Get-NetAdapterSriov's help
 * lists Unknown, Supported, MissingAcs, MissingPfDriver, ... in that order
 * without numbers; only Unknown = 0 and Supported = 1 are taken as certain. */
extern const struct hv_enum hv_sriov_support_names[];

/* A bounded list of strings (a PowerShell string array). */
struct hv_strlist { struct vs *v; size_t n; uint8_t src; /* SRC_NONE: property absent/unusable */ };

/* A network adapter (Get-NetAdapter) with, on the host, its SR-IOV settings
 * (Get-NetAdapterSriov, matched by Name, else InterfaceDescription). */
struct hv_nic {
	struct vs name;              /* Name / InterfaceAlias: "Ethernet 2" */
	struct vs ifdesc;            /* InterfaceDescription: how a vSwitch names its adapter */
	struct vs mac;               /* MacAddress, normalised "aa:bb:cc:dd:ee:ff" */
	struct vs status;            /* Status: "Up", "Disconnected", "Disabled", ... */
	struct vi media_state;       /* enum hv_media_state (MediaConnectionState) */
	struct vi ifindex;
	struct vi speed;             /* bits/s (Speed / ReceiveLinkSpeed) */
	struct vi is_virtual;        /* Virtual: 1 a software adapter (vNIC, team NIC) */
	struct vs driver_desc;       /* DriverDescription */
	/* Get-NetAdapterSriov (MSFT_NetAdapterSriovSettingData) */
	struct vi sriov_seen;        /* 1: a NetAdapterSriov object names this adapter */
	struct vi sriov_enabled;     /* Enabled */
	struct vi sriov_support;     /* SriovSupport (uint8): 0 Unknown, 1 Supported (hv_sriov_support_names) */
	struct vs sriov_support_name; /* SriovSupport as PowerShell 7 names it ("MissingAcs", ...) */
	struct vi num_vfs, num_allocated_vfs;
	struct vs sriov_switch_name; /* SwitchName */
	/* derived by hv_link */
	int team_idx;                /* this machine's LBFO team this adapter is a member of, -1 */
	int switch_idx;              /* host: a vSwitch bound to this adapter, -1 */
};

/* A Hyper-V virtual switch (Get-VMSwitch). */
struct hv_switch {
	struct vs name, id;
	struct vi switch_type;       /* enum hv_switch_type */
	struct vi iov_enabled;       /* IovEnabled (fixed at creation) */
	struct vi iov_support;       /* IovSupport */
	struct hv_strlist iov_support_reasons;
	struct vi iov_vf_count, iov_vf_in_use;           /* IovVirtualFunctionCount / ...InUse */
	struct vi embedded_teaming;  /* EmbeddedTeamingEnabled (SET) */
	struct vs ifdesc;            /* NetAdapterInterfaceDescription */
	struct hv_strlist ifdescs;   /* NetAdapterInterfaceDescriptions (SET: several) */
	/* derived: the adapter (hv_nic) each of ifdescs names (ifdesc when the
	 * list is absent), -1 not found; and the host LBFO team whose team NIC
	 * it is bound to, -1 */
	int nic_idx[HV_MAX_STRLIST];
	size_t nnic_idx;
	int team_idx;
};

/* A VM's (or the management OS's) virtual network adapter
 * (Get-VMNetworkAdapter -All). */
struct hv_vnic {
	struct vs vm_name, name, switch_name;
	struct vs mac;               /* MacAddress "00155D010203", normalised */
	struct vi is_management_os;
	struct vi connected;
	struct vi allow_teaming;     /* enum hv_onoff */
	struct vi mac_spoofing;      /* enum hv_onoff */
	struct vi iov_weight;        /* 0..100; 0 = SR-IOV not requested */
	struct vi iov_usage;         /* IovUsage: > 0 while a VF is in use */
	struct vi iov_qp_requested, iov_qp_assigned;
	struct vi vf_present;        /* VirtualFunction: 1 an object/value, 0 null (none), unknown absent */
	struct vs vf;                /* VirtualFunction when the export has it as text */
	struct vi vf_datapath_active; /* VFDataPathActive */
	int64_t status[HV_MAX_STATUS]; /* Status: enum hv_vnic_status values */
	size_t nstatus;
	uint8_t status_src;          /* SRC_NONE: Status unknown */
	struct hv_strlist status_desc; /* StatusDescription */
	/* derived by hv_link */
	int switch_idx;              /* host hv_switch by SwitchName, -1 */
	int vf_idx;                  /* host hv_vf with this VM and MAC, -1 */
	int guest_idx, guest_team_idx, guest_member_idx; /* the guest team member on it, -1 */
};

/* A virtual function (Get-NetAdapterSriovVf, MSFT_NetAdapterSriovVfSettingData). */
struct hv_vf {
	struct vs pf_name;           /* Name: the PF adapter's name */
	struct vs pf_ifdesc;         /* InterfaceDescription */
	struct vi function_id;       /* FunctionID: the VF number */
	struct vi switch_id;         /* SwitchID */
	struct vs switch_name;       /* SwitchName where the export has one */
	struct vs vm_name;           /* VmFriendlyName */
	struct vs vm_id, vmnic_id;
	struct vs cur_mac, perm_mac; /* CurrentMacAddress / PermanentMacAddress, normalised */
	/* derived */
	int nic_idx;                 /* PF hv_nic, -1 */
	int vnic_idx;                /* hv_vnic with this VM and MAC, -1 */
};

/* An LBFO team member (Get-NetLbfoTeamMember, MSFT_NetLbfoTeamMember). */
struct hv_member {
	struct vs name, team, ifdesc;
	struct vi admin_mode;        /* enum hv_admin_mode */
	struct vi oper_mode;         /* enum hv_oper_mode (OperationalMode, or OperationalStatus) */
	struct vi failure_reason;    /* enum hv_failure_reason */
	struct vi tx_speed, rx_speed; /* bits/s */
	/* derived by hv_link */
	int nic_idx;                 /* this machine's hv_nic by Name (its MAC, status), -1 */
	int vnic_idx;                /* guest: the host hv_vnic with the adapter's MAC, -1 */
};

/* An LBFO team (Get-NetLbfoTeam, MSFT_NetLbfoTeam), with its members
 * (Get-NetLbfoTeamMember, by Team) and team NICs (Get-NetLbfoTeamNic). */
struct hv_team {
	struct vs name;
	struct vi teaming_mode;      /* enum hv_teaming_mode */
	struct vi lb_algo;           /* enum hv_lb_algo */
	struct vi status;            /* enum hv_team_status */
	struct hv_strlist member_names; /* Members */
	struct hv_strlist tnic_names;   /* TeamNics */
	struct hv_member *members;
	size_t nmembers, cap_members;
};

/* One file of an export and what the reader made of it. */
struct hv_file {
	char *name;                  /* path inside the folder or zip */
	char *kind;                  /* "VMHost", "VMSwitch", "VMNetworkAdapter", "NetAdapter",
				      * "NetAdapterSriov", "NetAdapterSriovVf", "NetLbfoTeam",
				      * "NetLbfoTeamMember", "NetLbfoTeamNic", or NULL: not recognised */
	char *encoding;              /* "utf-16le-bom", "utf-8-bom", "utf-8" */
	size_t objects;              /* objects it held */
	int status;                  /* enum source_status */
	char *detail;                /* why not read / what was skipped, or NULL */
};

/* Which cmdlets' output an export held (a file recognised by its objects,
 * or an empty "[]" file named for its cmdlet): with the bit set, an empty
 * list means "the cmdlet returned none" (no LBFO team); without it, unknown. */
enum hv_kind {
	HV_K_VMHOST, HV_K_VMSWITCH, HV_K_VMNETWORKADAPTER, HV_K_NETADAPTER, HV_K_NETADAPTERSRIOV,
	HV_K_NETADAPTERSRIOVVF, HV_K_NETLBFOTEAM, HV_K_NETLBFOTEAMMEMBER, HV_K_NETLBFOTEAMNIC,
	HV_K_COLLECT, HV_K_ERRORS, /* collect.ps1's collect.json and errors.json */
	HV_K_MAX,
};
#define HV_HAVE(v, k) ((v) && ((v)->have & (1u << (k))))
/* "VMHost", "VMSwitch", ... "collect", "errors"; the cmdlet is "Get-" + it. */
const char *hv_kind_name(int k);
int hv_kind_parse(const char *name); /* -1 unknown */

struct hv_view {
	bool is_guest;               /* a Windows guest's export (no Hyper-V cmdlets) */
	uint32_t have;               /* 1 << enum hv_kind for each cmdlet output read */
	struct vs ps_version;        /* collect.json ps_version ("5.1.17763.1", "7.4.1") */
	struct vs collect_role;      /* collect.json role ("host"/"guest"): used only when content says nothing */
	struct vs computer_name;     /* VMHost ComputerName, else an object's PSComputerName/SystemName */
	struct vi host_iov_support;  /* VMHost IovSupport */
	struct hv_strlist host_iov_support_reasons;
	struct hv_nic *nics;         size_t nnics, cap_nics;
	struct hv_switch *switches;  size_t nswitches, cap_switches;
	struct hv_vnic *vnics;       size_t nvnics, cap_vnics;
	struct hv_vf *vfs;           size_t nvfs, cap_vfs;
	struct hv_team *teams;       size_t nteams, cap_teams;
	struct hv_file *files;       size_t nfiles, cap_files;
};

struct hv_view *hv_new(bool is_guest);
void hv_free(struct hv_view *v);
/* Adders: a zeroed item with every index -1; NULL past HV_MAX_ITEMS or on
 * allocation failure. */
struct hv_nic *hv_add_nic(struct hv_view *v);
struct hv_switch *hv_add_switch(struct hv_view *v);
struct hv_vnic *hv_add_vnic(struct hv_view *v);
struct hv_vf *hv_add_vf(struct hv_view *v);
struct hv_team *hv_add_team(struct hv_view *v, const char *name, int src);
struct hv_member *hv_team_add_member(struct hv_team *t);
struct hv_file *hv_add_file(struct hv_view *v, const char *name);
/* Append s (copied; NULL/"" ignored) to a list, at most HV_MAX_STRLIST. */
void hv_strlist_add(struct hv_strlist *l, const char *s, int src);
void hv_strlist_free(struct hv_strlist *l);
/* "a; b; c" into buf ("?" when unknown, "" when known and empty). */
const char *hv_strlist_join(const struct hv_strlist *l, char *buf, size_t len);

/* Normalise a Windows MAC ("00-15-5D-01-02-03", "00155D010203",
 * "00:15:5d:01:02:03") to "00:15:5d:01:02:03"; NULL when it is not one. */
const char *hv_mac_norm(const char *in, char *out, size_t outlen);

/* Lookups (-1 when not found or name unknown). */
int hv_find_nic_name(const struct hv_view *v, const char *name);
int hv_find_nic_ifdesc(const struct hv_view *v, const char *ifdesc);
int hv_find_nic_mac(const struct hv_view *v, const char *mac);
int hv_find_switch(const struct hv_view *v, const char *name);
int hv_find_vnic_mac(const struct hv_view *v, const char *mac);
int hv_find_team(const struct hv_view *v, const char *name);

/* vNIC Status all Ok (1), some not Ok (0), unknown (-1). */
int hv_vnic_status_ok(const struct hv_vnic *n);
/* The physical NIC under a vNIC's switch (first one for a SET switch), or NULL. */
const struct hv_nic *hv_vnic_nic(const struct hv_view *host, const struct hv_vnic *n);
/* A member's adapter (guest side) and the host vNIC behind it, or NULL. */
const struct hv_nic *hv_member_nic(const struct hv_view *v, const struct hv_member *mb);
const struct hv_vnic *hv_member_vnic(const struct machine *host, const struct hv_member *mb);

/* Recompute every derived index of host->hyperv and of its guests'
 * (guest members -> host vNICs by MAC; vNIC -> switch -> NIC; VFs). Safe
 * to call again; a no-op for machines without a Hyper-V view. */
void hv_link(struct machine *host);
/* Mirror m->hyperv's LBFO teams into m's generic teams (driver TEAM_LBFO,
 * mode = TeamingMode name, xmit_hash_policy = LoadBalancingAlgorithm name,
 * members with their MAC and state "active"/"backup"/"failed") and its
 * adapters into m's netdevs, for the views and rules that walk struct team.
 * Done by the reader once; JSON carries both. */
void hv_mirror(struct machine *m);

/* The view as text (model/print_hyperv.c); host is m's host for a guest
 * (its vNICs), NULL for the host itself. */
void hv_print(FILE *f, const struct machine *m, const struct machine *host);
#endif
