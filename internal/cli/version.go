package cli

import (
	"flag"
	"fmt"
	"runtime/debug"
)

var versionCmd = &Command{
	Name:    "version",
	Summary: "print lossgen's version",
	Usage:   "lossgen version",
	Flags:   versionFlags,
	Help: `
Version prints the lossgen module version this binary was built from, as
recorded by the go command (for example v0.3.0 after go install
github.com/lossgen/lossgen/cmd/lossgen@v0.3.0), or "devel" for a build from
a checkout.
`,
}

func versionFlags(fs *flag.FlagSet, env *Env) func([]string) error {
	return func(args []string) error {
		if len(args) > 0 {
			return usagef("no arguments expected")
		}
		fmt.Fprintf(env.Stdout, "lossgen %s\n", version())
		return nil
	}
}

func version() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}
