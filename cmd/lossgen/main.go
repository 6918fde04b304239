// Command lossgen compiles loss specs into Go packages; see doc.go.
package main

import (
	"os"

	"github.com/lossgen/lossgen/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}))
}
