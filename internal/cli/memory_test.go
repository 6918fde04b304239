package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestByteSize(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{{"0", 0}, {"1024", 1024}, {"8GiB", 8 << 30}, {"512 MiB", 512 << 20}, {"1.5KiB", 1536}, {"2GB", 2e9}, {"1e9", 1e9}, {"3B", 3}} {
		var b byteSize
		if err := b.Set(tt.in); err != nil || int64(b) != tt.want {
			t.Errorf("Set(%q) = %d, %v; want %d", tt.in, b, err, tt.want)
		}
	}
	for _, bad := range []string{"", "-1", "lots", "8XB", "1e30"} {
		var b byteSize
		if err := b.Set(bad); err == nil {
			t.Errorf("Set(%q) accepted: %d", bad, b)
		}
	}
}

// lossgen run -memory: a budget below what the sizes need is a one-line
// error saying how much they need, exit 1.
func TestRunMemoryBudget(t *testing.T) {
	needGo(t)
	in, err := os.ReadFile("../../examples/triplet_input.json")
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Main([]string{"run", "-memory", "100B", "../../specs/triplet.loss"}, &Env{Stdin: bytes.NewReader(in), Stdout: &out, Stderr: &errb})
	if code != 1 || !strings.Contains(errb.String(), "a triplet workspace for these sizes needs") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	out.Reset()
	errb.Reset()
	code = Main([]string{"run", "-memory", "1MiB", "../../specs/triplet.loss"}, &Env{Stdin: bytes.NewReader(in), Stdout: &out, Stderr: &errb})
	if code != 0 || !strings.Contains(out.String(), `"loss"`) {
		t.Errorf("with room: exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
