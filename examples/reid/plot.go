package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"strconv"
)

// The figure: two panels side by side, the training loss per epoch and the
// test mAP per epoch, for both runs, with a shared legend.
const (
	plotW = 1000
	plotH = 500
)

var (
	colWhite    = color.RGBA{255, 255, 255, 255}
	colBlack    = color.RGBA{0, 0, 0, 255}
	colText     = color.RGBA{40, 40, 40, 255}
	colGrid     = color.RGBA{225, 225, 225, 255}
	colChance   = color.RGBA{120, 120, 120, 255}
	colBaseline = color.RGBA{31, 119, 180, 255} // blue
	colCEOnly   = color.RGBA{230, 110, 0, 255}  // orange
)

// series is one curve: y[i] at x = x0 + i.
type series struct {
	x0     int
	y      []float64
	c      color.RGBA
	dashed bool
}

// renderPlot draws the figure for rep.
func renderPlot(rep *Report) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, plotW, plotH))
	fillRect(img, 0, 0, plotW, plotH, colWhite)

	epochs := len(rep.Baseline.Loss)
	title := fmt.Sprintf("lossgen ReID example: %d train ids, %d epochs", rep.Data.Cfg.TrainIDs, epochs)
	drawText(img, 20, 14, title, 3, colBlack)

	// Legend, on one line under the title.
	lx, ly := 20, 52
	for _, e := range []struct {
		label  string
		c      color.RGBA
		dashed bool
	}{
		{"baseline: CE-LS + triplet + 0.0005 center", colBaseline, false},
		{"CE only", colCEOnly, false},
		{"chance", colChance, true},
	} {
		drawLine(img, lx, ly+7, lx+30, ly+7, 3, e.c, e.dashed)
		lx += 40
		drawText(img, lx, ly, e.label, 2, colText)
		lx += textWidth(e.label, 2) + 30
	}

	// Loss panel.
	maxLoss := 0.0
	for _, h := range []*History{rep.Baseline, rep.CEOnly} {
		for _, v := range h.Loss {
			maxLoss = math.Max(maxLoss, v)
		}
	}
	panel(img, image.Rect(20, 90, 490, plotH), "training loss (mean per epoch)", epochs, maxLoss, []series{
		{x0: 1, y: rep.Baseline.Loss, c: colBaseline},
		{x0: 1, y: rep.CEOnly.Loss, c: colCEOnly},
	})

	// mAP panel, with the chance level.
	maxMAP := rep.ChanceMAP
	for _, h := range []*History{rep.Baseline, rep.CEOnly} {
		for _, v := range h.MAP {
			maxMAP = math.Max(maxMAP, v)
		}
	}
	chance := make([]float64, epochs+1)
	for i := range chance {
		chance[i] = rep.ChanceMAP
	}
	panel(img, image.Rect(510, 90, 980, plotH), "test mAP (query vs gallery)", epochs, math.Min(1, maxMAP), []series{
		{x0: 0, y: chance, c: colChance, dashed: true},
		{x0: 0, y: rep.CEOnly.MAP, c: colCEOnly},
		{x0: 0, y: rep.Baseline.MAP, c: colBaseline},
	})
	return img
}

// panel draws one chart in r: its title, axes from 0 to xmax epochs and from
// 0 to a round number above ymax, grid lines with tick labels, and the
// curves.
func panel(img *image.RGBA, r image.Rectangle, title string, xmax int, ymax float64, curves []series) {
	drawText(img, r.Min.X+(r.Dx()-textWidth(title, 2))/2, r.Min.Y, title, 2, colBlack)

	if xmax < 1 {
		xmax = 1
	}
	ystep := niceStep(ymax / 5)
	ytop := ystep * math.Ceil(ymax/ystep*(1+1e-9))
	if ytop <= 0 {
		ytop, ystep = 1, 0.2
	}
	xstep := math.Max(1, niceStep(float64(xmax)/6))

	// Plot area.
	left, right := r.Min.X+70, r.Max.X-10
	top, bottom := r.Min.Y+30, r.Max.Y-50
	px := func(x float64) int { return left + int(math.Round(x/float64(xmax)*float64(right-left))) }
	py := func(y float64) int { return bottom - int(math.Round(y/ytop*float64(bottom-top))) }

	// Grid and tick labels.
	for i := 0; ; i++ {
		y := float64(i) * ystep
		if y > ytop*(1+1e-9) {
			break
		}
		yy := py(y)
		drawLine(img, left, yy, right, yy, 1, colGrid, false)
		drawLine(img, left-5, yy, left, yy, 1, colBlack, false)
		s := tickLabel(y, ystep)
		drawText(img, left-9-textWidth(s, 2), yy-textHeight(2)/2, s, 2, colText)
	}
	for i := 0; ; i++ {
		x := float64(i) * xstep
		if x > float64(xmax)+1e-9 {
			break
		}
		xx := px(x)
		drawLine(img, xx, top, xx, bottom, 1, colGrid, false)
		drawLine(img, xx, bottom, xx, bottom+5, 1, colBlack, false)
		s := tickLabel(x, xstep)
		drawText(img, xx-textWidth(s, 2)/2, bottom+10, s, 2, colText)
	}
	const xlabel = "epoch"
	drawText(img, (left+right-textWidth(xlabel, 2))/2, bottom+32, xlabel, 2, colText)

	// Axes.
	drawLine(img, left, top, left, bottom, 2, colBlack, false)
	drawLine(img, left, bottom, right, bottom, 2, colBlack, false)

	// Curves, with a dot on every point.
	for _, s := range curves {
		for i := 1; i < len(s.y); i++ {
			drawLine(img, px(float64(s.x0+i-1)), py(s.y[i-1]), px(float64(s.x0+i)), py(s.y[i]), 3, s.c, s.dashed)
		}
		if s.dashed {
			continue
		}
		for i, v := range s.y {
			fillRect(img, px(float64(s.x0+i))-3, py(v)-3, 7, 7, s.c)
		}
	}
}

// niceStep rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// tickLabel formats v with as many decimals as the step needs.
func tickLabel(v, step float64) string {
	dec := 0
	for s := step; dec < 6 && math.Abs(s-math.Round(s)) > 1e-9; s *= 10 {
		dec++
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// drawLine draws a line of the given thickness from (x0, y0) to (x1, y1)
// (Bresenham, with a square brush); dashed lines alternate 8 pixels on, 6 off.
func drawLine(img *image.RGBA, x0, y0, x1, y1, thick int, c color.RGBA, dashed bool) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	off := thick / 2
	for n := 0; ; n++ {
		if !dashed || n%14 < 8 {
			fillRect(img, x0-off, y0-off, thick, thick, c)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// encodePlot renders the figure as PNG bytes.
func encodePlot(rep *Report) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, renderPlot(rep)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writePlot writes the figure to path.
func writePlot(path string, rep *Report) error {
	b, err := encodePlot(rep)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
