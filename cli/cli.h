/* Subcommand entry points, one file each (cli/cmd_<name>.c), dispatched from
 * the table in cli/main.c. Each returns the process exit code:
 * 0 ok, 1 findings at/over --fail-on (check), 2 usage or runtime error. */
#ifndef VFS_CLI_H
#define VFS_CLI_H
int cmd_snapshot(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_top(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_pci(int argc, char **argv);
int cmd_demo(int argc, char **argv);
#endif
