// Package gendir writes a generated Go package into its directory without
// ever destroying work that lossgen did not generate.
//
// The rules, which lossgen compile relies on:
//   - a file is overwritten only if its first line is a lossgen header
//     (see Header); anything else is refused, naming the file;
//   - each file is written to a temporary file in the same directory and
//     renamed into place, so a reader (or a crash) never sees half a file;
//   - files that lossgen generated earlier from the same spec but no longer
//     emits are removed, so a renamed output file leaves no stale duplicate
//     declarations behind; generated files of other specs are left alone;
//   - checking (Prepare) is separate from writing (Apply), so a caller with
//     several packages can refuse them all before touching any.
package gendir
