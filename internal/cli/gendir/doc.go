// Package gendir writes a generated Go package into its directory without
// ever destroying work that lossgen did not generate.
//
// The rules, which lossgen compile relies on:
//   - a file is overwritten only if its first line is a lossgen header
//     (see Header); anything else is refused, naming the file;
//   - the package is replaced as a whole: every changed file is written in
//     full (and synced) to a temporary file in the same directory first, so
//     a failure such as a full disk changes nothing; then a journal of the
//     renames is written and the renames run. A kill during the renames
//     leaves the journal, which the next Apply finishes before anything
//     else; temporary files of interrupted runs are removed then too;
//   - a replaced file keeps its mode; a new one is 0644;
//   - a directory whose other Go files are another package is refused;
//   - files that lossgen generated earlier from the same spec but no longer
//     emits are removed, so a renamed output file leaves no stale duplicate
//     declarations behind; generated files of other specs are left alone;
//   - checking (Prepare) is separate from writing (Apply), so a caller with
//     several packages can refuse them all before touching any.
package gendir
