package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"hash/crc32"
	"io"
	"strconv"
	"strings"
)

// digitsCSVGz is data/digits.csv.gz, the UCI handwritten digits as
// scikit-learn ships them (see data/README.md for source and licence).
// Embedding it makes the example run from any directory.
//
//go:embed data/digits.csv.gz
var digitsCSVGz []byte

// digitsSHA256 is the SHA-256 of data/digits.csv.gz, as recorded in
// data/README.md (the test checks both).
const digitsSHA256 = "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"

const (
	pixels  = 64 // 8×8 images
	classes = 10 // digits 0..9
)

// Digits is the data set: one row per image, in file order.
type Digits struct {
	X      []float64 // rows × 64 pixel values, scaled from 0..16 to [0, 1]
	Labels []int     // the digit of each row
}

// Len is the number of images.
func (d *Digits) Len() int { return len(d.Labels) }

// Row returns the pixels of image i.
func (d *Digits) Row(i int) []float64 { return d.X[i*pixels : (i+1)*pixels] }

// LoadDigits reads the gzipped CSV: one image per line, 64 integers in
// 0..16 (the 8×8 block counts, row by row) and then the digit.
func LoadDigits(r io.Reader) (*Digits, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	d := &Digits{}
	sc := bufio.NewScanner(zr)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(strings.TrimSpace(sc.Text()), ",")
		if len(f) != pixels+1 {
			return nil, fmt.Errorf("digits.csv line %d: %d fields, want %d", line, len(f), pixels+1)
		}
		for j, s := range f {
			v, err := strconv.Atoi(s)
			if err != nil {
				return nil, fmt.Errorf("digits.csv line %d field %d: %v", line, j+1, err)
			}
			if j == pixels {
				if v < 0 || v >= classes {
					return nil, fmt.Errorf("digits.csv line %d: label %d not in 0..9", line, v)
				}
				d.Labels = append(d.Labels, v)
				break
			}
			if v < 0 || v > 16 {
				return nil, fmt.Errorf("digits.csv line %d field %d: %d not in 0..16", line, j+1, v)
			}
			d.X = append(d.X, float64(v)/16)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	if d.Len() == 0 {
		return nil, fmt.Errorf("digits.csv: no rows")
	}
	return d, nil
}

// EmbeddedDigits loads the copy of the data compiled into the program.
func EmbeddedDigits() (*Digits, error) { return LoadDigits(bytes.NewReader(digitsCSVGz)) }

// Split is a partition of the rows into training images and disjoint query
// and gallery images. Indices are rows of the CSV (0-based), ascending.
type Split struct {
	Kind                  string
	Train, Query, Gallery []int
	// TrainClasses lists the digits seen in training; the classifier's
	// class c is the digit TrainClasses[c].
	TrainClasses []int
}

// The two splits. Both are a fixed rule on each image's rank k = 0, 1, 2, …
// among the images of its digit, in file order, so that torch_digits.py
// reproduces them exactly (it prints the same fingerprint).
const (
	// SplitSamples (the default): all ten digits in training. Images with
	// even k train; of those with odd k, every fourth (k = 1, 9, 17, …, i.e.
	// (k−1)/2 divisible by 4) is a query and the rest form the gallery.
	SplitSamples = "samples"
	// SplitClasses: the open-set protocol of metric learning (train on the
	// first half of the classes, retrieve the second half): digits 0–4
	// train; digits 5–9 are the test set, k divisible by 5 a query, the
	// rest the gallery.
	SplitClasses = "classes"
)

// MakeSplit applies the rule of kind to the labels.
func MakeSplit(labels []int, kind string) (*Split, error) {
	s := &Split{Kind: kind}
	rank := make([]int, classes)
	seen := make([]bool, classes)
	for i, y := range labels {
		k := rank[y]
		rank[y]++
		switch kind {
		case SplitSamples:
			switch {
			case k%2 == 0:
				s.Train = append(s.Train, i)
				seen[y] = true
			case (k-1)/2%4 == 0:
				s.Query = append(s.Query, i)
			default:
				s.Gallery = append(s.Gallery, i)
			}
		case SplitClasses:
			switch {
			case y < 5:
				s.Train = append(s.Train, i)
				seen[y] = true
			case k%5 == 0:
				s.Query = append(s.Query, i)
			default:
				s.Gallery = append(s.Gallery, i)
			}
		default:
			return nil, fmt.Errorf("unknown split %q (want %q or %q)", kind, SplitSamples, SplitClasses)
		}
	}
	for y, ok := range seen {
		if ok {
			s.TrainClasses = append(s.TrainClasses, y)
		}
	}
	return s, nil
}

// Fingerprint is the CRC-32 (IEEE) of the text
//
//	train <indices, comma-separated>\nquery <…>\ngallery <…>\n
//
// which torch_digits.py computes the same way (zlib.crc32), to show that
// both programs use the same images.
func (s *Split) Fingerprint() uint32 {
	var b strings.Builder
	for _, part := range []struct {
		name string
		idx  []int
	}{{"train", s.Train}, {"query", s.Query}, {"gallery", s.Gallery}} {
		b.WriteString(part.name + " ")
		for j, i := range part.idx {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(i))
		}
		b.WriteByte('\n')
	}
	return crc32.ChecksumIEEE([]byte(b.String()))
}
