package compiler_test

import (
	"testing"

	"github.com/lossgen/lossgen/compiler"
)

// TestFlops checks the counter against counts worked out by hand from the
// convention in Flops' documentation.
func TestFlops(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		dims     map[string]int
		fwd, bwd float64
	}{{
		// forward:  s: N·D·(mul + sum)              = 2ND
		//           loss_sum: N·(exp + sum)          = 2N
		//           loss = loss_sum / N              = 1
		// backward: adj(loss_sum) += adj(loss) / N   = 2 (div, accum)
		//           adj(s[i]) += adj·exp(s[i])       = 3N (mul, exp, accum)
		//           adj(x) += g·w, adj(w) += g·x     = 4ND
		name: "dot",
		src: `loss dot {
    input x[N, D]
    input w[D]
    s[i] = sum(k: x[i, k] * w[k])
    loss = mean(i: exp(s[i]))
}`,
		dims: map[string]int{"N": 3, "D": 5},
		fwd:  2*3*5 + 2*3 + 1,
		bwd:  2 + 3*3 + 4*3*5,
	}, {
		// forward:  lse: N·C·4 + N·2 (logsumexp)
		//           hi: N·C·1 (max; the integer filter is free)
		//           loss_sum: N·(sub + sum)          = 2N
		// backward: adj(lse), adj(hi) from loss_sum  = N·(accum + accum)
		//           hi (max): once per i, adj(z[i, arg]) += adj(hi) = N
		//           lse: N·C·(sub, exp, mul, accum)  = 4NC
		name: "lse_max",
		src: `loss lm {
    input z[N, C]
    input y[N] int
    lse[i] = logsumexp(j: z[i, j])
    hi[i]  = max(j | j != y[i]: z[i, j])
    loss   = sum(i: lse[i] - hi[i])
}`,
		dims: map[string]int{"N": 4, "C": 7},
		fwd:  4*7*4 + 4*2 + 4*7 + 2*4,
		bwd:  2*4 + 4 + 4*4*7,
	}}
	for _, tt := range tests {
		p, err := compiler.Build(tt.name+".loss", []byte(tt.src))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		c, err := compiler.Flops(p, tt.dims)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.Forward != tt.fwd || c.Backward != tt.bwd || c.Total() != tt.fwd+tt.bwd {
			t.Errorf("%s: Flops = %+v, want {Forward:%v Backward:%v}", tt.name, c, tt.fwd, tt.bwd)
		}
		// The count scales with the sizes: doubling every size at least doubles it.
		big := map[string]int{}
		for k, v := range tt.dims {
			big[k] = 2 * v
		}
		c2, err := compiler.Flops(p, big)
		if err != nil || c2.Total() < 2*c.Total() {
			t.Errorf("%s: Flops at doubled sizes = %+v, %v; want at least twice %v", tt.name, c2, err, c.Total())
		}
		if _, err := compiler.Flops(p, map[string]int{}); err == nil {
			t.Errorf("%s: Flops without sizes: no error", tt.name)
		}
	}
}
