// Flag values of the scap/ppm event layout that state keeping and field extraction both test
// (events.json flag table file_flags; the driver's own encoding, not the kernel's O_* values).
export const PPM_O_RDONLY = 1;
export const PPM_O_WRONLY = 2;
export const PPM_O_CREAT = 4;
export const PPM_O_TRUNC = 256;
export const PPM_O_DIRECTORY = 1024;
export const PPM_O_CLOEXEC = 4096;
export const PPM_O_TMPFILE = 8192;
/** Set by the driver when the open created the file. */
export const PPM_O_F_CREATED = 16384;
/** The dirfd value meaning "relative to the cwd". */
export const AT_FDCWD = -100;
