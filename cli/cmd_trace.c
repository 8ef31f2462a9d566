/* Placeholder until this subcommand lands; replaced by its own file. */
#include "cli/cli.h"
#include <stdio.h>
int cmd_trace(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "vfscope trace: not built yet\n");
	return 2;
}
