// Package dsl is the front end of lossgen: it parses loss specs and checks
// them into a Program (program.go), the only type later stages read.
//
// # The language
//
// docs/language.md is the full reference, with every construct's gradient
// rule and the generated API; this is a summary.
//
// A spec declares one loss:
//
//	// Batch-hard triplet loss (Hermans et al. 2017).
//	loss batch_hard_triplet {
//	    param margin = 0.3          // real scalar with a default
//	    input x[N, D]               // real tensor, differentiable by default
//	    input labels[N] int         // integer tensor (never differentiable)
//
//	    d[i, j] = sqrt(sum(k: (x[i, k] - x[j, k])^2) + 1e-12)
//	    hp[i]   = max(j | labels[j] == labels[i] && j != i: d[i, j])
//	    hn[i]   = min(j | labels[j] != labels[i]: d[i, j])
//	    loss    = mean(i: relu(hp[i] - hn[i] + margin))
//	}
//
// Declarations:
//
//   - param NAME = [-]NUMBER: a real hyperparameter with a default.
//   - input NAME[S1, ...] [int|real] [grad|nograd]: a tensor supplied by the
//     caller. The identifiers in the brackets are size symbols, bound at run
//     time; they may be used as values (eps / C). Real inputs are
//     differentiable unless marked nograd; int inputs hold labels.
//   - size NAME, ...: size symbols that no input's shape names, bound at
//     run time like the others (Dims), for index ranges that no subscript
//     gives: `size U` then `u in U`. A size must be declared (by `size` or
//     an input's shape) before it is used; declaring with `size` a size that
//     an input's shape also names is allowed and redundant; declaring it
//     twice with `size` is an error.
//   - NAME[i, ...] = EXPR: a definition, usable only after it. The last
//     definition must be the scalar real `loss`, the result.
//   - use NAME, use "dir/file.loss" [as NAME]: load another spec, relative
//     to this spec's directory, to call it (see Composition).
//   - update NAME[i, ...] = EXPR: an update rule for a real input (see
//     Update rules).
//
// # Composition
//
// A definition whose whole right-hand side is a call of a used spec with
// named arguments,
//
//	ce = cross_entropy_ls(logits: logits, labels: labels, eps: 0.1)
//
// is expanded at check time into the caller's Program: every definition of
// the used spec except its result is copied in before ce and renamed
// ce_<name> (ce_lse; ce_lse_2, ... if taken), with the used spec's inputs
// replaced by the argument tensors (every input must be given: a caller
// input or definition of the same rank and integer-ness), its params by the
// argument constants or their defaults, its sizes by the caller's sizes
// (unified by position in the argument shapes), and its index variables by
// new ones; its result body becomes the body of ce. Calls cannot be nested
// in expressions. Used specs may use others; cycles are errors. The used
// spec's update rules apply to the caller's inputs bound to their targets.
// Program.Uses lists every used file; Def.Origin where a copy came from.
// Load reads used specs from disk; LoadWith takes the reader.
//
// # Update rules
//
//	update centers[c, k] = centers[c, k] - alpha * sum(i | labels[i] == c: centers[c, k] - x[i, k]) / (1 + count(i | labels[i] == c))
//
// gives the next value of a real input at every point of its shape (the
// left-hand indices range over the target's shape). The body reads inputs,
// params, sizes and earlier definitions, all at their old values: the rules
// of a spec are one simultaneous assignment, at most one per input. Rules
// are not part of the loss and are never differentiated (Program.Updates).
//
// Expressions, from loosest to tightest: || ; && ; comparisons (== != < <=
// > >=, which do not chain) ; + - ; * / ; unary - and ! ; ^ (right
// associative, and tighter than unary minus: -x^2 is -(x^2)). The exponent
// must be a constant: a number, param or size expression.
//
// Index variables are bound on the left of a definition or by a reduction.
// Their ranges are inferred from their uses as subscripts, as in Tensor
// Comprehensions: i in x[i, k] ranges over N. A subscript is an index
// variable or a label read such as labels[i] (a gather: logits[i, labels[i]]).
// A binder may state its range, `u in U`, on the left of a definition or
// update rule (c1[u in U, k] = ...) and in a reduction (sum(u in U, k: ...),
// count(u in U | ...)); it is needed where no subscript gives one (u met
// only in comparisons, labels[j] == u), and every use as a subscript must
// agree with it. IndexVar.Range is the stated or inferred range.
//
// Reductions: sum mean max min logsumexp take binders, an optional filter
// after | and a body after : (sum(i, k: e), max(j | cond: e)); count takes
// binders and an optional filter and no body. With two plain arguments and
// no | or :, max(a, b) and min(a, b) are elementwise. Over an empty set every
// reduction is 0 (mean divides by max(count, 1)).
//
// Functions: exp log log1p sqrt abs relu softplus sigmoid tanh sign cos sin
// acos stopgrad (one real argument), max min (two), clamp(x, lo, hi),
// where(cond, a, b), and real(n), the only way to use an integer as a real.
//
// Types are Real, Int and Bool. Labels and index variables are Int: they
// may be compared and used as subscripts, never mixed into real arithmetic
// without real(...). Numbers and sizes adapt to their context.
//
// # Diagnostics
//
// Parse, Check and Load return an ErrorList whose entries render as
//
//	file:line:col: message
//	    <source line>
//	    <caret under the column>
//
// Columns count characters from 1; offsets count bytes from 0.
package dsl
