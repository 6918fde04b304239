// Package explain renders what lossgen derives from a spec for people, as
// `lossgen explain` prints it: the loss and its definitions as written, the
// steps they are computed in, the backward pass as equations (one step per
// adjoint Op of the differentiated IR, with its loop, filter, argmax routing
// and the conditions under which a gradient is 0), the gradient of each
// input and the update rules, each equation with the spec line it comes
// from. Text gives Unicode math, LaTeX the same content for amsmath's
// align*, and Dot the computation graph for Graphviz.
//
// Load runs the pipeline of compiler.Build (check, lower, differentiate)
// and keeps the checked spec alongside the IR, so definitions can be shown
// as written and gradients as derived. The output depends only on the
// spec: it is deterministic and golden-tested (go test -update rewrites
// testdata).
package explain
