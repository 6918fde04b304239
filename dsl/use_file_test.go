package dsl

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestUseRefusesNonRegularFiles: `use` of a FIFO (or /dev/zero) must fail
// with a diagnostic, not block forever or read without end.
func TestUseRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.loss")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	spec := filepath.Join(dir, "main.loss")
	src := []byte("loss main {\n    use pipe\n    input x[N]\n    loss = sum(i: x[i])\n}\n")
	done := make(chan error, 1)
	go func() {
		_, err := Load(spec, src)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Fatalf("use of a FIFO: got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("use of a FIFO blocked")
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		src := []byte("loss main {\n    use \"../../../../../../dev/zero\" as z\n    input x[N]\n    loss = sum(i: x[i])\n}\n")
		if _, err := Load(spec, src); err == nil {
			t.Fatal("use of /dev/zero was accepted")
		}
	}
}
