/* libFuzzer: lspci output parser (hex dumps and -v/-vv text), then the
 * SR-IOV decode and VF BAR reading of every device it found. */
#include "decoders/lspci_text.h"
#include "decoders/pcicap.h"
#include <stdint.h>
#include <stddef.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lspci_file f;
	lspci_parse((const char *)data, size, &f);
	for (size_t i = 0; i < f.ndevs; i++) {
		struct sriov_cap c;
		struct sriov_vf_bar bars[6];
		lspci_dev_cap(&f.devs[i], &c);
		sriov_vf_bars(&c, bars);
	}
	lspci_file_free(&f);
	return 0;
}
