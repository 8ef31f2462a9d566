/* Placeholder until this subcommand lands; replaced by its own file. */
#include "cli/cli.h"
#include <stdio.h>
int cmd_capture(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "vfscope capture: not built yet\n");
	return 2;
}
