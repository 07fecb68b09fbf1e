package emulator

import (
	"os"
	"syscall"
)

// datasync flushes a file's data to the disk (fdatasync: the size and
// times are not written when only the data changed).
func datasync(f *os.File) error { return syscall.Fdatasync(int(f.Fd())) }
