// Package dsl is the front end of lossgen: it parses loss specs and checks
// them into a Program (program.go), the only type later stages read.
//
// # The language
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
//   - NAME[i, ...] = EXPR: a definition, usable only after it. The last
//     definition must be the scalar real `loss`, the result.
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
//
// Reductions: sum mean max min logsumexp take binders, an optional filter
// after | and a body after : (sum(i, k: e), max(j | cond: e)); count takes
// binders and an optional filter and no body. With two plain arguments and
// no | or :, max(a, b) and min(a, b) are elementwise. Over an empty set every
// reduction is 0 (mean divides by max(count, 1)).
//
// Functions: exp log log1p sqrt abs relu softplus sigmoid cos sin acos
// stopgrad (one real argument), max min (two), where(cond, a, b), and
// real(n), the only way to use an integer as a real.
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
