/* Placeholder: replaced by kmsg/vfio/LLDP collection. */
#include "collectors/extras.h"
void host_extras(struct machine *m, const struct common_opts *o)
{
	(void)m; (void)o;
}
