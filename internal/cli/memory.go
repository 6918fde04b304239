package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a -memory flag: a number of bytes, with an optional unit
// (KiB, MiB, GiB, TiB, or KB, MB, GB, TB in powers of 1000); 0 means the
// default budget, lossrt.DefaultMemoryBudget.
type byteSize int64

func (b *byteSize) String() string {
	if *b == 0 {
		return "4GiB"
	}
	return strconv.FormatInt(int64(*b), 10)
}

func (b *byteSize) Set(s string) error {
	units := []struct {
		suffix string
		scale  float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	num, scale := strings.TrimSpace(s), 1.0
	for _, u := range units {
		if rest, ok := strings.CutSuffix(num, u.suffix); ok {
			num, scale = strings.TrimSpace(rest), u.scale
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || v*scale >= 1<<63 {
		return fmt.Errorf("want a size such as 8GiB, 512MiB or 1e9")
	}
	*b = byteSize(v * scale)
	return nil
}

// memoryFlag defines -memory on a command that makes a workspace.
func memoryFlag(fs *flag.FlagSet) *byteSize {
	b := new(byteSize)
	fs.Var(b, "memory", "memory budget of the workspace, e.g. `8GiB`; sizes needing more are an error")
	return b
}
