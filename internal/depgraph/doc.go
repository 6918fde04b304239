// Package depgraph holds no code: its test writes down which packages each
// stage of lossgen may import (as go/build's deps_test.go does for the
// standard library) and fails when a stage grows a dependency it should not
// have. The pipeline only works one way — dsl, then ir, autodiff, codegen —
// and generated code must build with nothing but the runtime package.
package depgraph
