// Package peer holds hand-written Go implementations of shipped losses and
// their gradients, written the way a Go programmer would without lossgen:
// straightforward loops over flat slices, the gradient derived by hand. The
// benchmarks in this package run each next to the generated kernel on the
// same inputs, so speed is reported as a ratio against a peer measured in
// the same run; the tests check that the peers agree with the generated
// code, so the comparison is between equal computations.
package peer
