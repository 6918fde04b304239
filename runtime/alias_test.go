package lossrt

import "testing"

func TestOverlap(t *testing.T) {
	buf := make([]float64, 10)
	other := make([]float32, 4)
	for _, tt := range []struct {
		name string
		a, b []float64
		want bool
	}{
		{"same", buf, buf, true},
		{"prefix", buf[:3], buf, true},
		{"touching", buf[:5], buf[5:], false},
		{"one shared element", buf[:5], buf[4:], true},
		{"inside", buf[2:4], buf[1:8], true},
		{"empty", buf[:0], buf, false},
		{"nil", nil, buf, false},
		{"distinct", buf, make([]float64, 10), false},
	} {
		if got := Overlap(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: Overlap = %v, want %v", tt.name, got, tt.want)
		}
		if got := Overlap(tt.b, tt.a); got != tt.want {
			t.Errorf("%s, swapped: Overlap = %v, want %v", tt.name, got, tt.want)
		}
	}
	if !Overlap(other[1:2], other[:2]) || Overlap(other[:1], other[1:]) {
		t.Error("float32 ranges: wrong overlap")
	}
	if n := testing.AllocsPerRun(100, func() { Overlap(buf[:3], buf[2:]) }); n != 0 {
		t.Errorf("Overlap allocates %v times", n)
	}
	if e := (&AliasError{Grad: "grad x", Other: "x"}).Error(); e != "lossgen: grad x shares memory with x: gradients are written while inputs are read, so pass a separate slice" {
		t.Errorf("message %q", e)
	}
}
