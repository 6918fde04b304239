// Package editors holds editor support for .loss files; its test keeps the
// TextMate grammar in step with the language.
package editors

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

type pattern struct {
	Match    string    `json:"match"`
	Include  string    `json:"include"`
	Patterns []pattern `json:"patterns"`
}

type grammar struct {
	ScopeName  string             `json:"scopeName"`
	Patterns   []pattern          `json:"patterns"`
	Repository map[string]pattern `json:"repository"`
}

func TestGrammar(t *testing.T) {
	raw, err := os.ReadFile("vscode/syntaxes/loss.tmLanguage.json")
	if err != nil {
		t.Fatal(err)
	}
	var g grammar
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("grammar is not valid JSON: %v", err)
	}
	if g.ScopeName != "source.loss" {
		t.Errorf("scopeName = %q", g.ScopeName)
	}
	var all []string
	var walk func(p pattern)
	walk = func(p pattern) {
		if p.Match != "" {
			// TextMate uses Oniguruma; the patterns here stay within the
			// subset Go's regexp accepts, apart from lookbehind.
			m := strings.ReplaceAll(p.Match, "(?<![A-Za-z_])", "")
			m = strings.ReplaceAll(m, "(?=\\s*\\()", "")
			if _, err := regexp.Compile(m); err != nil {
				t.Errorf("pattern %q does not compile: %v", p.Match, err)
			}
			all = append(all, m)
		}
		for _, q := range p.Patterns {
			walk(q)
		}
	}
	for _, p := range g.Repository {
		walk(p)
	}
	for _, p := range g.Patterns {
		name := strings.TrimPrefix(p.Include, "#")
		if _, ok := g.Repository[name]; !ok {
			t.Errorf("include %q has no repository entry", p.Include)
		}
	}
	words := []string{
		"loss", "param", "input", "update", "use", "size", "in", "int", "real", "grad", "nograd",
		"sum", "mean", "max", "min", "logsumexp", "count",
		"exp", "log", "log1p", "sqrt", "abs", "relu", "softplus", "sigmoid",
		"tanh", "sign", "clamp", "cos", "sin", "acos", "stopgrad", "where",
	}
	for _, w := range words {
		found := false
		for _, m := range all {
			re := regexp.MustCompile(m)
			if (re.MatchString(w) || re.MatchString(w+" x")) && strings.Contains(m, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s is not highlighted", w)
		}
	}
}
