package lossrt

import (
	"math"
	"math/rand/v2"
	"testing"
)

func testLogSumExpKeep[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	inf := math.Inf(1)
	rows := [][]float64{
		{0}, {1, 2, 3}, {-inf, 0, 5}, {1e4, -1e4, 1e4 - 1}, {3, 3, 3, 3, 3},
	}
	for _, n := range []int{2, 7, 31, 33, 751} {
		x := make([]float64, n)
		for j := range x {
			x[j] = r.NormFloat64() * 10
		}
		rows = append(rows, x)
	}
	for _, row := range rows {
		x := make([]T, len(row))
		for j, v := range row {
			x[j] = T(v)
		}
		e := make([]T, len(x))
		lse, norm := LogSumExpKeep(e, x)
		want := LogSumExp(x)
		// float32 rows keep float32 exponentials, so Σe is off by up to
		// 2⁻²⁴ relative and log Σe by as much absolute.
		tolLse := 1e-14 * math.Max(1, math.Abs(want))
		if isFloat32[T]() {
			tolLse = 1e-7
		}
		if math.Abs(lse-want) > tolLse {
			t.Fatalf("row of %d: lse %v, LogSumExp gives %v", len(row), lse, want)
		}
		// e·norm is the softmax exp(x − m) / Σ exp(x − m), computed here
		// without the cancellation of x − lse at large x.
		m := math.Inf(-1)
		for _, v := range x {
			m = math.Max(m, float64(v))
		}
		var sum float64
		for _, v := range x {
			sum += math.Exp(float64(v) - m)
		}
		for j := range x {
			p := math.Exp(float64(x[j])-m) / sum
			got := float64(e[j]) * norm
			tol := 4e-15 // a few ulps: exp, the lane sums, 1/Σ and the product
			if isFloat32[T]() {
				tol = 3e-7 // e is rounded to float32
			}
			if math.Abs(got-p) > tol*math.Max(p, 1e-300)+1e-300 {
				t.Fatalf("row of %d: e[%d]·norm = %v, the softmax is %v", len(row), j, got, p)
			}
		}
	}
	// Special rows.
	e := make([]T, 2)
	lse, norm := LogSumExpKeep(e, []T{T(math.Inf(-1)), T(math.Inf(-1))})
	if !math.IsInf(lse, -1) || !math.IsNaN(norm) || e[0] != 0 || e[1] != 0 {
		t.Fatalf("all -Inf: lse %v norm %v e %v", lse, norm, e)
	}
	lse, norm = LogSumExpKeep(e, []T{1, T(math.NaN())})
	if !math.IsNaN(lse) || !math.IsNaN(norm) {
		t.Fatalf("NaN entry: lse %v norm %v", lse, norm)
	}
	lse, norm = LogSumExpKeep(e, []T{1, T(math.Inf(1))})
	if !math.IsNaN(lse) || !math.IsNaN(norm) {
		t.Fatalf("+Inf entry: lse %v norm %v", lse, norm)
	}
	lse, _ = LogSumExpKeep([]T{}, []T{})
	if !math.IsInf(lse, -1) {
		t.Fatalf("empty row: lse %v", lse)
	}
	x := make([]T, 751)
	e = make([]T, 751)
	if a := testing.AllocsPerRun(50, func() { LogSumExpKeep(e, x) }); a != 0 {
		t.Fatalf("LogSumExpKeep allocates %v times", a)
	}
	defer func() {
		if recover() == nil {
			t.Fatal("mismatched lengths did not panic")
		}
	}()
	LogSumExpKeep(e[:3], x)
}

func TestLogSumExpKeep(t *testing.T) {
	t.Run("float64", testLogSumExpKeep[float64])
	t.Run("float32", testLogSumExpKeep[float32])
}

// Skipping an element is the same as leaving it out of the row.
func testLogSumExpKeepSkip[T Float](t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, n := range []int{2, 3, 9, 33, 256} {
		x := make([]T, n)
		for j := range x {
			x[j] = T(r.NormFloat64() * 5)
		}
		for _, skip := range []int{0, n / 2, n - 1} {
			// The skipped element is the largest and even NaN: it must
			// not matter.
			x[skip] = T(math.NaN())
			e := make([]T, n)
			lse, norm := LogSumExpKeepSkip(e, x, skip)
			rest := append(append([]T{}, x[:skip]...), x[skip+1:]...)
			er := make([]T, n-1)
			wantLse, wantNorm := LogSumExpKeep(er, rest)
			if math.Abs(lse-wantLse) > 1e-14*math.Max(1, math.Abs(wantLse)) || math.Abs(norm-wantNorm) > 1e-14*wantNorm {
				t.Fatalf("n=%d skip=%d: (%v, %v), without the element (%v, %v)", n, skip, lse, norm, wantLse, wantNorm)
			}
			if e[skip] != 0 {
				t.Fatalf("n=%d skip=%d: e[skip] = %v", n, skip, e[skip])
			}
			for j, v := range er {
				k := j
				if j >= skip {
					k++
				}
				if e[k] != v {
					t.Fatalf("n=%d skip=%d: e[%d] = %v, want %v", n, skip, k, e[k], v)
				}
			}
			x[skip] = 0
		}
	}
	// Nothing left: the empty set.
	e := []T{7}
	if lse, norm := LogSumExpKeepSkip(e, []T{3}, 0); lse != 0 || norm != 0 || e[0] != 0 {
		t.Fatalf("single element skipped: (%v, %v), e %v", lse, norm, e)
	}
	for _, skip := range []int{-1, 2} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatalf("skip %d did not panic", skip)
				}
			}()
			LogSumExpKeepSkip(make([]T, 2), make([]T, 2), skip)
		}()
	}
}

func TestLogSumExpKeepSkip(t *testing.T) {
	t.Run("float64", testLogSumExpKeepSkip[float64])
	t.Run("float32", testLogSumExpKeepSkip[float32])
}
