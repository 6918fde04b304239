// Package autodiff adds reverse-mode derivatives to a lowered program.
//
// Every forward Op reads tensors through one reduction-free scalar body, so
// reverse mode works Op by Op, last to first: the adjoint of an Op's target
// is complete once every later Op has been processed, and the Op's body is
// differentiated symbolically, seeded with that adjoint, into straight-line
// code that accumulates into the adjoints of the tensors it read. Gathers
// (x[labels[i]]) become scatter-adds for free, because the accumulation uses
// the same subscripts as the load.
//
// Conventions at non-smooth points (docs/numerics.md lists them with the
// PyTorch behaviour next to each):
//   - relu'(0) = 0; max(x, y) and min(x, y) route the gradient to x on ties;
//   - max and min reductions route it to the first element that attains the
//     extremum (the recorded arg index);
//   - sqrt'(0) is taken as 0, so ‖x - x‖ has a zero, finite gradient;
//   - abs'(0) = 0; acos' is 0 where |x| >= 1 instead of infinite;
//   - stopgrad(x) passes no gradient; count and filters are constants.
package autodiff
