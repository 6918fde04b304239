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

// The figure: the training loss per epoch (left) and the test mAP per epoch
// (right) of each loss, for the first seed, with the raw pixels' mAP as a
// dashed reference.
const (
	plotW = 1000
	plotH = 500
)

var (
	colWhite = color.RGBA{255, 255, 255, 255}
	colBlack = color.RGBA{0, 0, 0, 255}
	colText  = color.RGBA{40, 40, 40, 255}
	colGrid  = color.RGBA{225, 225, 225, 255}
	colRaw   = color.RGBA{120, 120, 120, 255}
	colLoss  = map[Loss]color.RGBA{
		CE:       {230, 110, 0, 255},  // orange
		Triplet:  {44, 160, 44, 255},  // green
		Baseline: {31, 119, 180, 255}, // blue
	}
)

// series is one curve: y[i] at x = x0 + i·dx (dx 0 means 1).
type series struct {
	x0, dx int
	y      []float64
	c      color.RGBA
	dashed bool
}

// renderPlot draws the figure for rep.
func renderPlot(rep *Report) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, plotW, plotH))
	fillRect(img, 0, 0, plotW, plotH, colWhite)
	runs := rep.Runs[0]
	title := fmt.Sprintf("lossgen: UCI digits, %s split, seed %d", rep.Task.Split.Kind, runs[0].Seed)
	drawText(img, 20, 14, title, 3, colBlack)

	// Legend, one line under the title.
	lx, ly := 20, 52
	legend := func(label string, c color.RGBA, dashed bool) {
		drawLine(img, lx, ly+7, lx+30, ly+7, 3, c, dashed)
		lx += 40
		drawText(img, lx, ly, label, 2, colText)
		lx += textWidth(label, 2) + 30
	}
	var losses, maps []series
	lo, hi, mapLo := math.Inf(1), 0.0, rep.Raw.MAP
	for _, h := range runs {
		legend(h.Loss.String(), colLoss[h.Loss], false)
		m := make([]float64, len(h.Quality))
		for i, q := range h.Quality {
			m[i] = q.MAP
			mapLo = math.Min(mapLo, q.MAP)
		}
		for _, v := range h.Epoch {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		losses = append(losses, series{x0: 1, y: h.Epoch, c: colLoss[h.Loss]})
		maps = append(maps, series{x0: 0, y: m, c: colLoss[h.Loss]})
	}
	legend("raw pixels", colRaw, true)
	epochs := len(runs[0].Epoch)
	raw := series{dx: epochs, y: []float64{rep.Raw.MAP, rep.Raw.MAP}, c: colRaw, dashed: true}
	maps = append([]series{raw}, maps...)

	panel(img, image.Rect(20, 90, 490, plotH), "training loss (mean per epoch)", epochs, 0, hi, losses)
	panel(img, image.Rect(510, 90, 980, plotH), "test mAP (queries vs gallery)", epochs, math.Floor(mapLo*10)/10, 1, maps)
	return img
}

// panel draws one chart in r: its title, the axes (0..xmax epochs, ylo up
// to a round number at or above yhi), grid lines with tick labels, and the
// curves with a dot on every point.
func panel(img *image.RGBA, r image.Rectangle, title string, xmax int, ylo, yhi float64, curves []series) {
	drawText(img, r.Min.X+(r.Dx()-textWidth(title, 2))/2, r.Min.Y, title, 2, colBlack)
	ystep := niceStep((yhi - ylo) / 5)
	ytop := ylo + math.Max(1, math.Ceil((yhi-ylo)/ystep-1e-9))*ystep
	xstep := math.Max(1, niceStep(float64(xmax)/6))

	left, right := r.Min.X+70, r.Max.X-10
	top, bottom := r.Min.Y+30, r.Max.Y-50
	px := func(x float64) int { return left + int(math.Round(x/float64(xmax)*float64(right-left))) }
	py := func(y float64) int { return bottom - int(math.Round((y-ylo)/(ytop-ylo)*float64(bottom-top))) }

	for y := ylo; y <= ytop+1e-9; y += ystep {
		drawLine(img, left, py(y), right, py(y), 1, colGrid, false)
		s := tickLabel(y, ystep)
		drawText(img, left-9-textWidth(s, 2), py(y)-textHeight(2)/2, s, 2, colText)
	}
	for x := 0.0; x <= float64(xmax)+1e-9; x += xstep {
		drawLine(img, px(x), top, px(x), bottom, 1, colGrid, false)
		s := tickLabel(x, xstep)
		drawText(img, px(x)-textWidth(s, 2)/2, bottom+10, s, 2, colText)
	}
	drawText(img, (left+right-textWidth("epoch", 2))/2, bottom+32, "epoch", 2, colText)
	drawLine(img, left, top, left, bottom, 2, colBlack, false)
	drawLine(img, left, bottom, right, bottom, 2, colBlack, false)

	for _, s := range curves {
		x := func(i int) int { return px(float64(s.x0 + i*max(s.dx, 1))) }
		for i := 1; i < len(s.y); i++ {
			drawLine(img, x(i-1), py(s.y[i-1]), x(i), py(s.y[i]), 3, s.c, s.dashed)
		}
		if !s.dashed {
			for i, v := range s.y {
				fillRect(img, x(i)-2, py(v)-2, 5, 5, s.c)
			}
		}
	}
}

// niceStep rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5} {
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
	for n := 0; ; n++ {
		if !dashed || n%14 < 8 {
			fillRect(img, x0-thick/2, y0-thick/2, thick, thick, c)
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
