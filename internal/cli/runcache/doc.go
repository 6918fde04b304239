// Package runcache turns the source of a generated kernel into an executable
// lossgen run driver, with the Go toolchain, and caches it.
//
// lossgen cannot link a kernel into itself, since the kernel is generated
// after lossgen was built. So Driver writes a throw-away module
//
//	go.mod                      module lossgen.driver, requiring github.com/lossgen/lossgen
//	                            replaced by the cache's runtime copy
//	gen/kernel/*.go             the generated package (tests left out)
//	cmd/driver/main.go          rundriver.Main(kernel.Info, kernel.Eval64, kernel.Eval32)
//
// beside a copy of the runtime shared by every build in the cache,
//
//	runtime-<hash>/go.mod       module github.com/lossgen/lossgen
//	runtime-<hash>/runtime/...  lossrt.Source: the runtime the kernel imports
//	                            and the JSON driver (runtime/rundriver)
//
// and builds it with
//
//	GOWORK=off GOFLAGS=-mod=mod GOPROXY=off GOTOOLCHAIN=local go build -o driver ./cmd/driver
//
// The runtime module has the path of the lossgen module, so the generated
// import paths resolve to it; the driver module requires nothing else, so it
// builds offline and independently of the directory lossgen runs in, of any
// go.work and of the user's GOFLAGS. The runtime sits at one path for all
// builds because the go command's build cache keys a package by its
// directory too: at one path it is compiled once, and each later build only
// compiles the kernel and links.
//
// The cache entry is the directory <cache>/<key>, named by a SHA-256 of every
// file of the two modules and of the toolchain's version and target; the
// source stays there beside the binary, for whoever wants to read what ran.
// An entry, and the runtime copy, are built in a temporary directory and
// renamed into place when complete, so concurrent runs never see half of
// one, and the loser of a race uses the winner's. Each entry records the
// SHA-256 of its driver (driver.sha256); a driver that does not match
// (truncated, altered, missing) is never run: the entry is rebuilt in its
// place. A runtime copy whose files differ from lossgen's is rewritten
// before a build uses it. Build directories left by killed runs are removed
// once they are an hour old. Entries are never evicted; deleting the cache
// directory is always safe.
package runcache
