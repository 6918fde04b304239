package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Env is the process state a command may touch, so that tests can run
// commands in-process.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// Command is one subcommand.
type Command struct {
	Name    string
	Summary string // one line for `lossgen -h`
	Usage   string // the usage line(s), without the leading "usage: "
	Help    string // what it does, with an example; printed before the flags
	// Flags declares the command's flags on fs and returns the function
	// that runs it with the positional arguments. See exitCode for what
	// its error means.
	Flags func(fs *flag.FlagSet, env *Env) func(args []string) error
}

// usageError is a misuse found after flag parsing: exit 2, with the usage.
type usageError string

func (e usageError) Error() string { return string(e) }

func usagef(format string, args ...any) error { return usageError(fmt.Sprintf(format, args...)) }

// exitStatus ends the command with a code, printing nothing: whatever needed
// saying (diagnostics, a driver's message) is already on standard error.
type exitStatus int

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// exitCode maps a command's error to the exit code, reporting it: nil is
// success, usageError and exitStatus are described above, and anything else
// is a failure printed as "lossgen NAME: error".
func (c *Command) exitCode(err error, env *Env) int {
	var usage usageError
	var status exitStatus
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(env.Stderr, "lossgen %s: %v\n", c.Name, err)
		c.printUsage(env.Stderr)
		return exitUsage
	case errors.As(err, &status):
		return int(status)
	}
	fmt.Fprintf(env.Stderr, "lossgen %s: %v\n", c.Name, err)
	return exitFail
}

// commands lists the subcommands in the order `lossgen -h` shows them;
// each has its own file in this package.
var commands = []*Command{compileCmd, runCmd, checkCmd, benchCmd, explainCmd, fmtCmd, versionCmd}

// Main runs lossgen with the arguments after the program name and returns
// the exit code.
func Main(args []string, env *Env) int {
	if len(args) == 0 {
		usage(env.Stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			if c := lookup(args[1]); c != nil {
				c.printHelp(env.Stdout, nil)
				return exitOK
			}
			fmt.Fprintf(env.Stderr, "lossgen help: unknown command %q\n", args[1])
			return exitUsage
		}
		usage(env.Stdout)
		return exitOK
	default:
		c := lookup(name)
		if c == nil {
			fmt.Fprintf(env.Stderr, "lossgen: unknown command %q\nRun 'lossgen -h' for usage.\n", name)
			return exitUsage
		}
		return c.run(args[1:], env)
	}
}

func lookup(name string) *Command {
	for _, c := range commands {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `lossgen compiles loss formulas (.loss specs) into Go packages that compute
the loss and its exact gradient.

Usage:

	lossgen <command> [flags] [arguments]

Commands:

`)
	for _, c := range commands {
		fmt.Fprintf(w, "\t%-8s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(w, `
Example:

	lossgen compile -o generated/triplet specs/triplet.loss
	lossgen run specs/triplet.loss < examples/triplet_input.json

Run 'lossgen <command> -h' for a command's flags.
`)
}

// run parses the command's flags, which may come before or after the
// positional arguments (lossgen compile SPEC -o DIR reads naturally), and
// runs it.
func (c *Command) run(args []string, env *Env) int {
	fs := flag.NewFlagSet("lossgen "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported below, once
	runFn := c.Flags(fs, env)
	positional, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.printHelp(env.Stdout, fs)
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "lossgen %s: %v\n", c.Name, err)
		c.printUsage(env.Stderr)
		return exitUsage
	}
	for i, arg := range positional {
		positional[i] = displayPath(arg)
	}
	return c.exitCode(runFn(positional), env)
}

// displayPath makes a spec path relative to the working directory when the
// file lies below it, so diagnostics read `specs/x.loss:3:5` however the
// path was given; paths elsewhere are kept as they are.
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// parseInterspersed parses flags anywhere among the arguments; after "--"
// everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		rest := fs.Args()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (c *Command) printUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\nRun 'lossgen %s -h' for details.\n", c.Usage, c.Name)
}

func (c *Command) printHelp(w io.Writer, fs *flag.FlagSet) {
	if fs == nil {
		fs = flag.NewFlagSet("lossgen "+c.Name, flag.ContinueOnError)
		c.Flags(fs, &Env{})
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.Usage, strings.TrimSpace(c.Help))
	var hasFlags bool
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprint(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
