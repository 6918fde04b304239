package cli

import (
	"flag"
	"strings"
)

// includeDirs is a repeatable -I flag: directories whose trees a spec's
// use declarations may reach besides its own directory tree.
type includeDirs []string

func (d *includeDirs) String() string { return strings.Join(*d, ",") }

func (d *includeDirs) Set(s string) error {
	*d = append(*d, s)
	return nil
}

// includeFlag defines -I on a command that loads specs.
func includeFlag(fs *flag.FlagSet) *includeDirs {
	d := new(includeDirs)
	fs.Var(d, "I", "a `DIR` whose specs use may reach besides the spec's own directory tree (repeatable)")
	return d
}
