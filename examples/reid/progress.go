package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Progress draws a one-line progress bar, redrawn in place with a carriage
// return. It uses no ANSI escape: a shorter line is padded with spaces.
// When the writer is not a terminal (a file, a pipe, CI logs) it draws
// nothing, since the per-epoch lines already tell the story there. A nil
// *Progress is valid and draws nothing.
type Progress struct {
	w     io.Writer
	width int // characters of the last line drawn, 0 if none
}

// NewProgress returns a progress bar on w, or nil (no bar) if w is not a
// terminal.
func NewProgress(w io.Writer) *Progress {
	if !isTerminal(w) {
		return nil
	}
	return &Progress{w: w}
}

// isTerminal reports whether w is a character device such as a terminal,
// with the standard library only.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("TERM") != "dumb"
}

const barCells = 30

// Update redraws the bar: label, done/total and the running loss.
func (p *Progress) Update(label string, done, total int, loss float64) {
	if p == nil || total <= 0 {
		return
	}
	fill := barCells * done / total
	bar := strings.Repeat("=", fill)
	if fill < barCells {
		bar += ">" + strings.Repeat(" ", barCells-fill-1)
	}
	line := fmt.Sprintf("%s [%s] %d/%d loss %.4f", label, bar, done, total, loss)
	pad := ""
	if n := p.width - len(line); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprint(p.w, "\r"+line+pad)
	p.width = len(line)
}

// Clear erases the bar, leaving the cursor at the start of the line.
func (p *Progress) Clear() {
	if p == nil || p.width == 0 {
		return
	}
	fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
	p.width = 0
}
