// Package interp is the reference interpreter for checked loss programs:
// the oracle against which generated kernels are tested.
//
// It is deliberately naive and shares nothing with the code generator: it
// computes in float64 with plain loops over the dsl.Program, evaluates every
// definition at every index point into a flat row-major array, and computes
// reductions by direct iteration. Its gradients are central finite
// differences (NumGrad), so it checks both the forward pass and the
// differentiation of generated code without trusting either. Its one
// concession to speed is to resolve names and choose operators once per
// expression, compiling it to closures (compile.go), rather than once per
// point: the arithmetic, and its order, is that of the naive walk.
//
// Semantics the generated code follows:
//
//   - mean over a (filtered) set is sum / max(count, 1);
//   - max, min and logsumexp over an empty set are 0; logsumexp subtracts
//     the maximum before exponentiating;
//   - softplus(x) = max(x, 0) + log1p(exp(-|x|)); relu(x) = max(x, 0);
//     sigmoid(x) = 1 / (1 + exp(-x)); stopgrad(x) = x in value (NumGrad
//     and Frozen hold it at its value at the base point, see frozen.go);
//   - tanh is math.Tanh; sign(x) is -1, 0 or 1, and NaN for NaN;
//     clamp(x, lo, hi) = min(max(x, lo), hi), so hi wins when lo > hi;
//   - binary max/min return the first argument on ties;
//   - x^y is math.Pow(x, y), with y == 2 computed as x*x;
//   - where(c, a, b) evaluates only the selected branch;
//   - count is the number of points passing the filter; real(n) is float64(n).
//
// Update evaluates a program's update rules (dsl.Update) into new arrays,
// every rule reading the old values.
package interp
