package lossrt

import (
	"errors"
	"testing"
)

// TestSizeRefusesWhatCannotBeAllocated: an element count that fits in an
// int but whose bytes do not would make make() panic; Size must refuse it.
func TestSizeRefusesWhatCannotBeAllocated(t *testing.T) {
	var de *DimError
	if _, err := Size("x", []string{"N", "D"}, 1<<61, 1); !errors.As(err, &de) || de.Size != "N" {
		t.Fatalf("N = 1<<61: got %v, want a DimError on N", err)
	}
	if _, err := Size("x", []string{"N", "D"}, 1<<40, 1<<40); !errors.As(err, &de) || de.Size != "D" {
		t.Fatalf("N = D = 1<<40: got %v, want a DimError on D", err)
	}
	if _, err := Size("x", []string{"N"}, 0); !errors.As(err, &de) {
		t.Fatalf("N = 0: got %v, want a DimError", err)
	}
	if n, err := Size("x", []string{"N", "D"}, 3, 5); err != nil || n != 15 {
		t.Fatalf("3x5: got %d, %v", n, err)
	}
}
