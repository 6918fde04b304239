package codegen

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"
)

// PackageName is the Go package name that a directory (or loss) name
// gives, by the convention of stringer and sqlc: the package is named after
// its directory, lower case, without underscores. It lower-cases name and
// drops every character outside [a-z0-9], so "cos_triplet" gives
// "costriplet" and "My-Loss" gives "myloss".
//
// A name that gives no usable package is an error that says why: nothing
// left, a leading digit, a Go keyword, a predeclared identifier (an
// importer using the default import name would shadow it), or main and
// init (a command, and a package that cannot be imported). The caller then
// asks for an explicit name (lossgen compile -pkg).
func PackageName(name string) (string, error) {
	clean := cleanName(name)
	if err := checkDefaultName(clean); err != nil {
		if clean == name {
			return "", fmt.Errorf("%q is not a usable package name: it %v", clean, err)
		}
		return "", fmt.Errorf("%q gives the package name %q, which %v", name, clean, err)
	}
	return clean, nil
}

// cleanName lower-cases name and keeps only [a-z0-9].
func cleanName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// checkDefaultName says what is wrong with a cleaned name as a package name;
// the error completes a sentence whose subject is the name.
func checkDefaultName(clean string) error {
	switch {
	case clean == "":
		return fmt.Errorf("is empty (no letter or digit is left)")
	case clean[0] >= '0' && clean[0] <= '9':
		return fmt.Errorf("starts with a digit")
	case token.IsKeyword(clean):
		return fmt.Errorf("is a Go keyword")
	case clean == "main":
		return fmt.Errorf("would make a command, not a library")
	case clean == "init":
		return fmt.Errorf("cannot be imported")
	case types.Universe.Lookup(clean) != nil:
		return fmt.Errorf("is a predeclared Go identifier (importers would shadow the built-in %s)", clean)
	}
	return nil
}

// CheckPackage reports whether name, given explicitly (lossgen compile
// -pkg), can name a generated package: a Go identifier, not a keyword, not
// the blank identifier, and neither main nor init. Unlike PackageName it
// does not rewrite the name: an explicit name is taken as it is.
func CheckPackage(name string) error {
	switch {
	case token.IsKeyword(name):
		return fmt.Errorf("%q is a Go keyword", name)
	case !token.IsIdentifier(name):
		return fmt.Errorf("%q is not a Go identifier (letters, digits and underscores, not starting with a digit)", name)
	case name == "_":
		return fmt.Errorf("the blank identifier cannot name a package")
	case name == "main":
		return fmt.Errorf("package main is a command, not a library")
	case name == "init":
		return fmt.Errorf("a package named init cannot be imported")
	}
	return nil
}

// defaultPackage is the package name when the caller gives none: the loss
// name by PackageName, or, where that gives no usable name, the cleaned
// name behind "loss" (losstype for a loss named type). The command line
// always gives a name; this keeps the library total.
func defaultPackage(lossName string) string {
	if name, err := PackageName(lossName); err == nil {
		return name
	}
	return "loss" + cleanName(lossName)
}
