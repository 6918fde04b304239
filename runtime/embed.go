package lossrt

import "embed"

// Source is the source of this package and of runtime/rundriver, as they
// were when lossgen was built.
//
// lossgen run needs it to rebuild a generated kernel in a throw-away module
// from any directory, including outside this repository and without network:
// the generated code imports this package, so a copy of it must sit next to
// the kernel. Embedding it keeps the copy identical to what the compiler that
// generated the kernel was built against. It holds the _test.go files too,
// because a //go:embed pattern cannot exclude them; lossgen skips them.
//
// Programs that only import the kernels never reference Source, and the
// linker drops unreferenced variables, so they carry none of these bytes.
//
// The patterns must cover every file the Go build of these packages uses;
// TestSourceCoversPackage fails when, say, an assembly file is added without
// extending them.
//
//go:embed *.go *.s rundriver/*.go
var Source embed.FS
