// Package lossrt is the support library that lossgen-generated kernels import:
// error values for rejected calls, the numerically stable scalar functions
// the kernels share (softplus, sigmoid, the safe derivative of sqrt), and the
// dynamically typed call used by tools (lossgen run and check, tests).
//
// It lives in the folder runtime/ but is named lossrt so that it never
// shadows the standard library's runtime package. It imports only the
// standard library, because generated code must build with nothing else.
package lossrt
