package workload

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestARTProperties(t *testing.T) {
	seeds := []uint64{0, 1, 2, 3, 42, 1 << 32, math.MaxUint64}
	for s := uint64(100); s < 300; s++ {
		seeds = append(seeds, s)
	}
	for _, seed := range seeds {
		s, err := ART(ARTConfig{N: 64, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if s.N != 64 || s.T != ARTSteps || s.I != ARTWidth || len(values(s)) != 64*9*37 {
			t.Fatalf("seed %d: shape %d×%d×%d", seed, s.N, s.T, s.I)
		}
		if err := artLayoutError(s); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := s.CheckLabels(ARTWidth); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	}
}

// TestARTCoverage draws enough sequences that every key, value, query
// position and label must occur (the chance that one of them is missing from
// 4096 uniform draws is far below 1e-100).
func TestARTCoverage(t *testing.T) {
	s, err := ART(ARTConfig{N: 4096, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var keys [26]int
	var vals, labels [10]int
	var query [3]int
	for n := range s.N {
		text, err := s.Symbols(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []int{0, 2, 4} {
			keys[text[k]-'a']++
			vals[text[k+1]-'0']++
			if text[8] == text[k] {
				query[k/2]++
			}
		}
		labels[s.Labels[n]-26]++
	}
	for name, counts := range map[string][]int{"keys": keys[:], "values": vals[:], "query positions": query[:], "labels": labels[:]} {
		if slices.Contains(counts, 0) {
			t.Errorf("%s never drawn: %v", name, counts)
		}
	}
}

func TestARTReproducible(t *testing.T) {
	a, err := ART(ARTConfig{N: 256, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ART(ARTConfig{N: 256, Seed: 9})
	if !slices.Equal(values(a), values(b)) || !slices.Equal(a.Labels, b.Labels) || a.Name != b.Name {
		t.Error("same seed gave different sets")
	}
	// A shorter set is a prefix of a longer one with the same seed.
	short, _ := ART(ARTConfig{N: 10, Seed: 9})
	if !slices.Equal(values(short), values(a)[:len(values(short))]) || !slices.Equal(short.Labels, a.Labels[:10]) {
		t.Error("N = 10 is not a prefix of N = 256 for the same seed")
	}
	for _, other := range []uint64{8, 10, 9 << 32} {
		c, _ := ART(ARTConfig{N: 256, Seed: other})
		if slices.Equal(values(a), values(c)) {
			t.Errorf("seeds 9 and %d gave the same inputs", other)
		}
	}
}

// TestARTGolden compares with art_seed1.txt, written by an independent
// Python port of the documented algorithm (testdata/workload/gen.py), which
// pins the bits across platforms and Go releases.
func TestARTGolden(t *testing.T) {
	f, err := os.Open(fixture("art_seed1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var texts []string
	var labels []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		text, label, ok := strings.Cut(line, " ")
		l, err := strconv.Atoi(label)
		if !ok || err != nil {
			t.Fatalf("art_seed1.txt: bad line %q", line)
		}
		texts, labels = append(texts, text), append(labels, l)
	}
	if len(texts) != 32 {
		t.Fatalf("art_seed1.txt: %d sequences, want 32", len(texts))
	}
	s, err := ART(ARTConfig{N: 32, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for n := range 32 {
		got, err := s.Symbols(n)
		if err != nil || got != texts[n] || s.Labels[n] != labels[n] {
			t.Errorf("sequence %d: %q label %d (%v), want %q label %d", n, got, s.Labels[n], err, texts[n], labels[n])
		}
	}
}

func TestARTConfig(t *testing.T) {
	tests := []struct {
		c     ARTConfig
		wantN int
		err   string
	}{
		{ARTConfig{}, DefaultARTN, ""},
		{ARTConfig{N: 1}, 1, ""},
		{ARTConfig{N: 5, Seed: math.MaxUint64}, 5, ""},
		{ARTConfig{N: -1}, 0, "art: N = -1, want 1..131072 (0 means the default 128)"},
		{ARTConfig{N: MaxARTN + 1}, 0, "art: N = 131073, want 1..131072"},
	}
	for _, tc := range tests {
		err := tc.c.Validate()
		s, genErr := ART(tc.c)
		switch {
		case tc.err == "":
			if err != nil || genErr != nil {
				t.Errorf("%+v: Validate %v, ART %v", tc.c, err, genErr)
			} else if s.N != tc.wantN {
				t.Errorf("%+v: N = %d, want %d", tc.c, s.N, tc.wantN)
			}
		case err == nil || genErr == nil || !strings.Contains(err.Error(), tc.err) || genErr.Error() != err.Error():
			t.Errorf("%+v: Validate %v, ART %v; want %q", tc.c, err, genErr, tc.err)
		}
	}
	s, _ := ART(ARTConfig{N: 3, Seed: 5})
	if s.Name != "art(n=3, seed=5)" || s.LabelsName != s.Name {
		t.Errorf("names %q, %q", s.Name, s.LabelsName)
	}
}

func BenchmarkART(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ART(ARTConfig{N: 128, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
