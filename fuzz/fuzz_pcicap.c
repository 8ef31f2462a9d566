/* libFuzzer: SR-IOV/ARI/PCIe capability walk over arbitrary config bytes. */
#include "decoders/pcicap.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_cap c;
	sriov_cap_decode(data, size, &c);
	pcicap_find_ext(data, size, PCI_EXT_CAP_ARI);
	pcicap_find_std(data, size, 0x10);
	return 0;
}
