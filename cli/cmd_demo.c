/* Placeholder until this subcommand lands; replaced by its own file. */
#include "cli/cli.h"
#include <stdio.h>
int cmd_demo(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "vfscope demo: not built yet\n");
	return 2;
}
