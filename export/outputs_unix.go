//go:build unix

package export

import (
	"io/fs"
	"os"
	"syscall"
)

// keepMode gives the file at name the permissions of the file it replaces
// and, when the process may (root), its owner.
func keepMode(name string, old fs.FileInfo) error {
	if err := os.Chmod(name, old.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return err
	}
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		if os.Getuid() == 0 || int(st.Uid) == os.Getuid() {
			os.Chown(name, int(st.Uid), int(st.Gid)) // best effort: a group we are not in is refused
		}
	}
	return nil
}

// writable checks that the process may open path for writing, without
// opening it (opening a FIFO would wait for a reader).
func writable(path string) error {
	const wOK = 2
	return syscall.Access(path, wOK)
}
