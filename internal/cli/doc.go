// Package cli implements the lossgen command line: one file per subcommand,
// and the dispatch, help and exit-code conventions they share. cmd/lossgen
// only calls Main; the manual is the package comment of cmd/lossgen.
//
// A subcommand is a Command in the commands table. Its Run receives the
// arguments after its name and returns an exit code:
//
//	0  success
//	1  the work failed: diagnostics in a spec, an I/O error, a kernel error
//	2  usage error: unknown subcommand, bad flag, missing arguments
package cli
