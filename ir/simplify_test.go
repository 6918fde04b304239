package ir

import (
	"testing"

	"github.com/lossgen/lossgen/dsl"
)

func x() Expr                       { return &Load{Tensor: &Tensor{Name: "x"}, Index: nil} }
func y() Expr                       { return &Load{Tensor: &Tensor{Name: "y"}, Index: nil} }
func k(v float64) Expr              { return &Const{Value: v} }
func bin(op string, a, b Expr) Expr { return &Binary{Op: op, X: a, Y: b} }

func TestFold(t *testing.T) {
	p := &ParamVal{Param: &dsl.Param{Name: "m"}}
	cases := []struct {
		in   Expr
		want string
	}{
		{bin("+", k(1), k(2)), "3"},
		{bin("*", x(), k(1)), "x"},
		{bin("*", k(1), x()), "x"},
		{bin("*", x(), k(0)), "0"},
		{bin("+", x(), k(0)), "x"},
		{bin("-", k(0), x()), "(-x)"},
		{bin("-", x(), &Unary{Op: "-", X: y()}), "(x + y)"},
		{bin("+", x(), &Unary{Op: "-", X: y()}), "(x - y)"},
		{&Unary{Op: "-", X: &Unary{Op: "-", X: x()}}, "x"},
		{bin("*", &Unary{Op: "-", X: x()}, y()), "(-(x * y))"},
		{bin("/", x(), k(1)), "x"},
		{bin("/", k(1), k(0)), "(1 / 0)"}, // not folded: would be +Inf
		{&Call{Fn: "where", Args: []Expr{bin(">", x(), k(0)), y(), y()}}, "y"},
		{&Call{Fn: "pow", Args: []Expr{x(), k(1)}}, "x"},
		{&Call{Fn: "exp", Args: []Expr{k(0)}}, "1"},
		{&Call{Fn: "log", Args: []Expr{k(-1)}}, "log(-1)"}, // not folded: NaN
		{&Call{Fn: "tanh", Args: []Expr{k(0)}}, "0"},
		{&Call{Fn: "sign", Args: []Expr{k(-3)}}, "-1"},
		{&Call{Fn: "sign", Args: []Expr{k(0)}}, "0"},
		{bin("*", p, k(2)), "($m * 2)"},
	}
	for _, c := range cases {
		if got := Format(Fold(c.in)); got != c.want {
			t.Errorf("Fold(%s) = %s, want %s", Format(c.in), got, c.want)
		}
	}
}

// TestSimplifyBindsRepeatedSubexpressions checks CSE: a subexpression used
// twice is computed once, in order of first use, and its own pieces are not
// bound separately.
func TestSimplifyBindsRepeatedSubexpressions(t *testing.T) {
	d := bin("-", x(), y())
	adj := &Tensor{Name: "x"}
	b := &Block{Stmts: []Stmt{
		&Accum{Tensor: adj, Value: bin("*", k(2), bin("-", x(), y()))},
		&Accum{Tensor: &Tensor{Name: "y"}, Value: &Unary{Op: "-", X: bin("*", k(2), bin("-", x(), y()))}},
	}, Result: bin("*", d, bin("-", x(), y()))}
	Simplify(b, "t")
	var got []string
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *Assign:
			got = append(got, s.Local.Name+" := "+Format(s.Value))
		case *Accum:
			got = append(got, "adj("+s.Tensor.Name+") += "+Format(s.Value))
		}
	}
	want := []string{
		"t1 := (x - y)",
		"t2 := (2 * %t1)",
		"adj(x) += %t2",
		"adj(y) += (-%t2)",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("stmt %d = %q, want %q", i, got[i], want[i])
		}
	}
	if r := Format(b.Result); r != "(%t1 * %t1)" {
		t.Errorf("result = %s", r)
	}
}

// TestSimplifyMergesAccumulations: two contributions to one adjoint element
// become one accumulation.
func TestSimplifyMergesAccumulations(t *testing.T) {
	tx := &Tensor{Name: "x"}
	b := &Block{Stmts: []Stmt{
		&Accum{Tensor: tx, Value: y()},
		&Accum{Tensor: tx, Value: x()},
		&Accum{Tensor: tx, Value: k(0)},
	}}
	Simplify(b, "g")
	if len(b.Stmts) != 1 {
		t.Fatalf("got %d statements, want 1", len(b.Stmts))
	}
	if got := Format(b.Stmts[0].(*Accum).Value); got != "(y + x)" {
		t.Errorf("merged value = %s", got)
	}
}

// TestSimplifyExpandsSquares: x^2 becomes a product of a bound local.
func TestSimplifyExpandsSquares(t *testing.T) {
	b := &Block{Result: &Call{Fn: "pow", Args: []Expr{bin("-", x(), y()), k(2)}}}
	Simplify(b, "t")
	if len(b.Stmts) != 1 || Format(b.Result) != "(%t1 * %t1)" {
		t.Errorf("got %d stmts, result %s", len(b.Stmts), Format(b.Result))
	}
}
