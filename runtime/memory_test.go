package lossrt

import (
	"errors"
	"testing"
)

func TestMemoryBudget(t *testing.T) {
	defer SetMemoryBudget(SetMemoryBudget(1 << 20))
	if err := CheckMemory("triplet", 1<<20); err != nil {
		t.Errorf("exactly the budget: %v", err)
	}
	err := CheckMemory("batch_hard_triplet", 320e9)
	var me *MemoryError
	if !errors.As(err, &me) || me.Budget != 1<<20 || me.Need != 320e9 {
		t.Fatalf("over the budget: %v", err)
	}
	if want := "lossgen: a batch_hard_triplet workspace for these sizes needs 298.0 GiB, more than the memory budget of 1.0 MiB (raise it with lossrt.SetMemoryBudget, or -memory)"; err.Error() != want {
		t.Errorf("message %q", err.Error())
	}
	if prev := SetMemoryBudget(0); prev != 1<<20 || MemoryBudget() != DefaultMemoryBudget {
		t.Errorf("SetMemoryBudget(0): previous %d, now %d", prev, MemoryBudget())
	}
	for _, tt := range []struct {
		b    float64
		want string
	}{{0, "0 B"}, {1023, "1023 B"}, {1536, "1.5 KiB"}, {8e18, "6.9 EiB"}, {1e30, "867361737988.4 EiB"}} {
		if got := FormatBytes(tt.b); got != tt.want {
			t.Errorf("FormatBytes(%v) = %q, want %q", tt.b, got, tt.want)
		}
	}
}
