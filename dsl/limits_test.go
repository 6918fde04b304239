package dsl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// firstError loads src and returns its first diagnostic, as line:col and
// message.
func firstError(t *testing.T, src string) (string, string) {
	t.Helper()
	_, err := Load("limits.loss", []byte(src))
	require.Error(t, err)
	var list ErrorList
	require.True(t, errors.As(err, &list), "%T: %v", err, err)
	checkDiagnostics(t, err, map[string][]byte{"limits.loss": []byte(src)})
	return fmt.Sprintf("%d:%d", list[0].Pos.Line, list[0].Pos.Column), list[0].Msg
}

// TestDeepNesting: 100,000 nested parentheses, signs, powers or calls would
// overflow the parser's stack (a fatal error, not a panic); past
// MaxNesting levels they are a diagnostic at the token that goes too deep,
// found before parsing, in linear time. Up to the limit, specs check.
func TestDeepNesting(t *testing.T) {
	const head = "loss a {\n input x[N]\n loss = sum(i: "
	for _, tc := range []struct {
		name, pre, body, post string
		per                   int // bytes of pre per level
	}{
		{"parentheses", "(", "x[i]", ")", 1},
		{"minus signs", "-", "x[i]", "", 1},
		{"spaced signs", "- ", "x[i]", "", 2},
		{"negations", "!", "x[i] > 0", "", 1},
		{"powers", "x[i]^", "1", "", 5},
		{"calls", "exp(", "x[i]", ")", 4},
		{"mixed", "-(", "x[i]", ")", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := head + strings.Repeat(tc.pre, 100000) + tc.body + strings.Repeat(tc.post, 100000) + ")\n}"
			start := time.Now()
			_, err := Load("deep.loss", []byte(src))
			require.Less(t, time.Since(start), 5*time.Second)
			var list ErrorList
			require.True(t, errors.As(err, &list))
			checkDiagnostics(t, err, map[string][]byte{"deep.loss": []byte(src)})
			require.Contains(t, list[0].Msg, "expression nested too deeply")
			// sum( opens the first level; the error is at the token that
			// opens level MaxNesting+1, within the repeated prefix.
			levels := MaxNesting - 1
			if tc.name == "mixed" {
				levels = (MaxNesting - 1) / 2
			}
			col := list[0].Pos.Column - len(" loss = sum(i: ") - 1
			require.Equal(t, 3, list[0].Pos.Line)
			require.True(t, col >= (levels-1)*tc.per && col < (levels+1)*tc.per, "column %d", list[0].Pos.Column)

			ok := head + strings.Repeat(tc.pre, 40) + tc.body + strings.Repeat(tc.post, 40) + ")\n}"
			if tc.name == "powers" { // exponents must be constant: x[i]^2^2^...
				ok = head + "x[i]^" + strings.Repeat("1^", 40) + "1)\n}"
			}
			if tc.name == "negations" {
				ok = head + "where(" + strings.Repeat(tc.pre, 40) + "(" + tc.body + "), x[i], 0))\n}"
			}
			_, err = Load("ok.loss", []byte(ok))
			require.NoError(t, err)
		})
	}
	// Long flat expressions are not deep: a binary minus ends a sign.
	flat := head + strings.Repeat("x[i] - -x[i] - ", 60) + "x[i])\n}"
	_, err := Parse("flat.loss", []byte(flat))
	require.NoError(t, err)
	// Unclosed brackets count too.
	pos, msg := firstError(t, "loss a {\n loss = "+strings.Repeat("[", 200000))
	require.Equal(t, fmt.Sprintf("2:%d", len(" loss = ")+MaxNesting+1), pos)
	require.Contains(t, msg, "nested too deeply")
}

// TestDefinitionSize: a definition whose body has more than MaxDefSize
// operations is a diagnostic at its name (differentiating it would take
// time and code quadratic in its size); a long spec of small definitions
// is fine.
func TestDefinitionSize(t *testing.T) {
	body := strings.Repeat("x[i] * ", 100) + "x[i]"
	pos, msg := firstError(t, "loss a {\n input x[N]\n d[i] = "+body+"\n loss = sum(i: d[i])\n}")
	require.Equal(t, "3:2", pos)
	require.Equal(t, "definition d is too large: 302 operations, at most 256; split it into smaller definitions", msg)
	pos, msg = firstError(t, "loss a {\n input x[N]\n update x[i] = "+body+"\n loss = sum(i: x[i])\n}")
	require.Equal(t, "3:9", pos)
	require.Contains(t, msg, "the update of x is too large")
	_, err := Load("ok.loss", []byte("loss a {\n input x[N]\n d[i] = "+strings.Repeat("x[i] * ", 80)+"x[i]\n loss = sum(i: d[i])\n}"))
	require.NoError(t, err)
}

// TestLongSpecChecks: thousands of inputs and definitions check in well
// under a second each thousand.
func TestLongSpecChecks(t *testing.T) {
	var b strings.Builder
	const n = 5000
	b.WriteString("loss long {\n")
	for k := 0; k < n; k++ {
		fmt.Fprintf(&b, " input x%d[N, D%d]\n", k, k%13)
	}
	b.WriteString(" d0 = 0\n")
	for k := 1; k < n; k++ {
		fmt.Fprintf(&b, " d%d = d%d + sum(i, j: x%d[i, j]^2)\n", k, k-1, k)
	}
	fmt.Fprintf(&b, " loss = d%d\n}\n", n-1)
	start := time.Now()
	p, err := Load("long.loss", []byte(b.String()))
	require.NoError(t, err)
	require.Len(t, p.Inputs, n)
	require.Len(t, p.Defs, n+1)
	require.Less(t, time.Since(start), 10*time.Second)
}

// TestHugeLiterals: a literal that is not a finite float64 is rejected at
// its position, in an expression and as a param default; one that
// underflows is zero.
func TestHugeLiterals(t *testing.T) {
	pos, msg := firstError(t, "loss a {\n input x[N]\n loss = sum(i: x[i]) * 1e999\n}")
	require.Equal(t, "3:24", pos)
	require.Equal(t, "number 1e999 is out of range", msg)
	pos, msg = firstError(t, "loss a {\n param p = 1"+strings.Repeat("0", 400)+"\n input x[N]\n loss = sum(i: x[i]) * p\n}")
	require.Equal(t, "2:8", pos)
	require.Contains(t, msg, "invalid default for param p")
	p, err := Load("tiny.loss", []byte("loss a {\n param p = 1e-999\n input x[N]\n loss = sum(i: x[i]) * p * 1e-400\n}"))
	require.NoError(t, err)
	require.Equal(t, 0.0, p.Params[0].Default)
}

// TestNonASCIINames: names are ASCII letters, digits and underscores; π or
// é is a diagnostic naming the character, at its position.
func TestNonASCIINames(t *testing.T) {
	for _, tc := range []struct{ src, at, msg string }{
		{"loss a {\n input x[N]\n param π = 3.14\n loss = sum(i: x[i]) * π\n}", "3:8", `invalid character "π"`},
		{"loss a {\n input é[N]\n loss = sum(i: é[i])\n}", "2:8", `invalid character "é"`},
		{"loss a {\n input xé[N]\n loss = sum(i: xé[i])\n}", "2:9", `invalid character "é"`},
		{"loss a {\n input x[N]\n loss = sum(i: x[i]) // π and é in a comment are fine\n}", "", ""},
	} {
		if tc.at == "" {
			_, err := Load("ok.loss", []byte(tc.src))
			require.NoError(t, err)
			continue
		}
		pos, msg := firstError(t, tc.src)
		require.Equal(t, tc.at, pos, tc.src)
		require.Contains(t, msg, tc.msg)
	}
}
