package lossrt

import (
	"fmt"
	"sync/atomic"
)

// DefaultMemoryBudget is the memory budget a process starts with: 4 GiB,
// room for the largest ReID workspaces (a 751×10×2048 float64 SoftTriple
// with its gradient is 250 MB) on a training machine, and an error instead
// of an out-of-memory crash for sizes such as a 200000² distance matrix.
const DefaultMemoryBudget = 4 << 30

var memoryBudget atomic.Int64

func init() { memoryBudget.Store(DefaultMemoryBudget) }

// SetMemoryBudget sets the most bytes one workspace may allocate (its
// buffers; the matrix products' packing buffers, about 1 MiB per worker,
// come on top) and returns the previous budget. A budget of 0 or less
// restores the default. Workspaces made earlier are not affected.
func SetMemoryBudget(bytes int64) (previous int64) {
	if bytes <= 0 {
		bytes = DefaultMemoryBudget
	}
	return memoryBudget.Swap(bytes)
}

// MemoryBudget is the current budget of SetMemoryBudget.
func MemoryBudget() int64 { return memoryBudget.Load() }

// MemoryError reports a workspace whose buffers would exceed the memory
// budget. Nothing has been allocated when it is returned.
type MemoryError struct {
	Loss   string  // the spec's name
	Need   float64 // bytes the workspace's buffers would take
	Budget int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("lossgen: a %s workspace for these sizes needs %s, more than the memory budget of %s (raise it with lossrt.SetMemoryBudget, or -memory)",
		e.Loss, FormatBytes(e.Need), FormatBytes(float64(e.Budget)))
}

// CheckMemory is the test a generated NewWorkspace makes before it
// allocates: need, the sum of its buffers' bytes computed in float64 so
// that it cannot overflow, against the budget.
func CheckMemory(loss string, need float64) error {
	if b := MemoryBudget(); need > float64(b) {
		return &MemoryError{Loss: loss, Need: need, Budget: b}
	}
	return nil
}

// FormatBytes renders a byte count for people: 512 B, 1.5 KiB, 320.0 GiB.
func FormatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
