// Package ir is lossgen's intermediate representation: a checked spec lowered
// to a list of tensor operations, each a loop nest over its target's indices
// whose body is a reduction-free scalar expression.
//
// Lowering lifts every reduction out of the expression it appears in and into
// an Op of its own (d[i] = sqrt(sum(k: ...)) becomes d_sum[i] = sum(k: ...)
// and d[i] = sqrt(d_sum[i])), so every Op is either an elementwise Map or a
// single Reduce. That shape is what makes reverse mode simple: the adjoint of
// an Op is a loop nest of the same shape whose body is the straight-line
// derivative of one scalar expression (see package autodiff), and it is what
// the code generator turns into unrolled Go loops.
//
// Scalar code inside an Op is a Block: a list of local assignments and
// adjoint accumulations followed by a result. Simplify folds constants,
// removes common subexpressions and drops dead locals in a Block.
package ir
