package main

import (
	"math"
	"math/rand/v2"
)

// DataConfig describes the synthetic ReID-like data set.
//
// Every identity is a prototype μ in the input space. Camera c is a fixed
// affine map x ↦ A_c x + b_c (A_c = I + distortion·G_c, G_c Gaussian with
// entries of variance 1/Dim; b_c a random offset), and an image of
// identity u seen by camera c is
//
//	x = A_c (μ_u + noise·ε + Σ_j s_j v_j) + b_c
//
// where ε is white noise and the s_j v_j are "pose/illumination" nuisances:
// large random amounts s_j along a few fixed directions v_j, shared by all
// identities. The camera offsets and the nuisances are larger than the
// spread of the identities, so in the raw input space the nearest neighbours
// of an image are mostly other people seen by the same camera: the model has
// to learn to ignore both.
type DataConfig struct {
	Dim            int     // input dimension
	TrainIDs       int     // identities in the training split (the classifier's C)
	TestIDs        int     // disjoint identities for query/gallery
	Cams           int     // cameras
	MaxImgsPerCam  int     // an identity has 1..MaxImgsPerCam images per camera it appears in
	IDStd          float64 // std of the identity prototypes
	CamOffsetStd   float64 // std of the camera offsets b_c
	CamDistortion  float64 // scale of the camera distortion G_c
	NoiseStd       float64 // std of the per-image white noise
	NuisanceDirs   int     // number of nuisance directions
	NuisanceStd    float64 // std of the nuisance amounts s_j
	SingleCamShare float64 // share of identities seen by one camera only
}

// DefaultData is the data set of a default run.
func DefaultData() DataConfig {
	return DataConfig{
		Dim:            64,
		TrainIDs:       200,
		TestIDs:        100,
		Cams:           6,
		MaxImgsPerCam:  4,
		IDStd:          1,
		CamOffsetStd:   1.5,
		CamDistortion:  0.5,
		NoiseStd:       0.5,
		NuisanceDirs:   4,
		NuisanceStd:    3,
		SingleCamShare: 0.05,
	}
}

// Sample is one image: its input vector, identity and camera.
type Sample struct {
	X   []float64
	ID  int
	Cam int
}

// Dataset is the generated data. Train identities are 0..TrainIDs-1 (the
// class labels of the classifier); test identities follow them, so the two
// splits never share a person.
type Dataset struct {
	Cfg            DataConfig
	Train          []Sample
	Query, Gallery []Sample
}

// Items returns the identity and camera of each sample, for Evaluate.
func Items(s []Sample) []Item {
	it := make([]Item, len(s))
	for i, x := range s {
		it[i] = Item{ID: x.ID, Cam: x.Cam}
	}
	return it
}

// GenerateData builds the data set from rng, deterministically.
func GenerateData(cfg DataConfig, rng *rand.Rand) *Dataset {
	d := cfg.Dim
	gauss := func(std float64) []float64 {
		v := make([]float64, d)
		for i := range v {
			v[i] = std * rng.NormFloat64()
		}
		return v
	}

	// Cameras: A_c = I + distortion·G_c, b_c.
	camA := make([][]float64, cfg.Cams)
	camB := make([][]float64, cfg.Cams)
	for c := range cfg.Cams {
		a := make([]float64, d*d)
		s := cfg.CamDistortion / math.Sqrt(float64(d))
		for i := range d {
			for j := range d {
				a[i*d+j] = s * rng.NormFloat64()
			}
			a[i*d+i]++
		}
		camA[c] = a
		camB[c] = gauss(cfg.CamOffsetStd)
	}
	// Nuisance directions, unit length.
	nuis := make([][]float64, cfg.NuisanceDirs)
	for j := range nuis {
		v := gauss(1)
		n := 0.0
		for _, x := range v {
			n += x * x
		}
		n = math.Sqrt(n)
		for i := range v {
			v[i] /= n
		}
		nuis[j] = v
	}

	z := make([]float64, d)
	image := func(mu []float64, id, cam int) Sample {
		for i := range z {
			z[i] = mu[i] + cfg.NoiseStd*rng.NormFloat64()
		}
		for _, v := range nuis {
			s := cfg.NuisanceStd * rng.NormFloat64()
			for i := range z {
				z[i] += s * v[i]
			}
		}
		x := make([]float64, d)
		a := camA[cam]
		for i := range d {
			acc := camB[cam][i]
			for j := range d {
				acc += a[i*d+j] * z[j]
			}
			x[i] = acc
		}
		return Sample{X: x, ID: id, Cam: cam}
	}
	// cameras picks the cameras an identity appears in.
	cameras := func() []int {
		n := 2 + rng.IntN(cfg.Cams-1)
		if rng.Float64() < cfg.SingleCamShare {
			n = 1
		}
		return rng.Perm(cfg.Cams)[:n]
	}

	ds := &Dataset{Cfg: cfg}
	for id := range cfg.TrainIDs {
		mu := gauss(cfg.IDStd)
		for _, c := range cameras() {
			for range 1 + rng.IntN(cfg.MaxImgsPerCam) {
				ds.Train = append(ds.Train, image(mu, id, c))
			}
		}
	}
	// Test split, Market-1501 style: for every test identity, one image per
	// camera is a query for about half of its cameras (at least one); every
	// other image is in the gallery. Identities seen by one camera only give
	// queries without a valid match, which evaluation skips.
	for t := range cfg.TestIDs {
		id := cfg.TrainIDs + t
		mu := gauss(cfg.IDStd)
		for k, c := range cameras() {
			n := 1 + rng.IntN(cfg.MaxImgsPerCam)
			asQuery := k == 0 || rng.IntN(2) == 0
			for i := range n {
				s := image(mu, id, c)
				if asQuery && i == 0 {
					ds.Query = append(ds.Query, s)
				} else {
					ds.Gallery = append(ds.Gallery, s)
				}
			}
		}
	}
	return ds
}
