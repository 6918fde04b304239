//go:build !amd64 || purego

package lossrt

// Without amd64 assembly (another architecture, or the purego build tag)
// every kernel takes its pure-Go path.
const (
	hasAVX2FMA = false
	hasAVX512  = false
)
