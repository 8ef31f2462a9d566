/* Output files that are complete or absent under their final name. Data is
 * written to FINAL.PID.part beside it (same directory, so rename is atomic;
 * the name says it is partial and whose it was), fsync'ed, renamed over
 * FINAL and the directory fsync'ed. A writer killed half way leaves only a
 * .part file, which the next outfile_open() for the same FINAL removes once
 * its PID is gone. Used for bundles and textfiles (issue 19). */
#ifndef VFS_OUTFILE_H
#define VFS_OUTFILE_H
#include <stddef.h>

struct outfile {
	int fd;             /* of the .part file, -1 when closed */
	char final[4096];
	char part[4200];
};

/* Creates the .part file (mode 0644 minus umask); sweeps stale ones first.
 * Returns 0 or -errno; err says which path and why. */
int outfile_open(struct outfile *o, const char *final, char *err, size_t errlen);
/* fsync + close + rename + fsync of the directory. On any failure the
 * .part file is removed and nothing new is under FINAL. 0 or -errno. */
int outfile_commit(struct outfile *o, char *err, size_t errlen);
/* Close and remove the .part file (an error already happened). */
void outfile_abort(struct outfile *o);
/* Remove FINAL.PID.part files whose process no longer exists; returns how
 * many were removed. */
int outfile_sweep(const char *final);
#endif
